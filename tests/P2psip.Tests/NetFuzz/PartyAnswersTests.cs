using P2psip.Conformance.Probe;
using P2psip.Messages;
using P2psip.Messages.Link;
using P2psip.Messages.Storage;
using P2psip.Messages.Topology;
using P2psip.NetFuzz;
using P2psip.Security;
using P2psip.Wire;

namespace P2psip.Tests.NetFuzz;

/// <summary>A fuzz party's answers to the SUT's requests: the kept links stay healthy only if these are right (§6.2.2, §6.3.4).</summary>
public sealed class PartyAnswersTests
{
    private static (FuzzTestLab Lab, MessageFactory Factory, PartyAnswers Answers, Identity Party) Setup()
    {
        var lab = new FuzzTestLab(7);
        var factory = new MessageFactory(lab.Lab, lab.Generator.Sut, new Random(1));
        var party = lab.Parties.Identities[0];
        return (lab, factory, new PartyAnswers(factory, party, lab.Lab.SutIdentity.NodeId), party);
    }

    [Fact]
    public void AnUpdateFromTheSutIsAnsweredBackToItSignedByTheParty()
    {
        var (lab, factory, answers, party) = Setup();
        var sut = lab.Lab.SutIdentity;
        var update = factory.Request(FuzzTemplates.Update(sut.NodeId), sut, new NodeDestination(party.NodeId));

        var answer = answers.To(update)!;

        Assert.IsType<UpdateAns>(answer.Body);
        Assert.Equal(update.Header.TransactionId, answer.Header.TransactionId);
        Assert.Equal([new NodeDestination(sut.NodeId)], answer.Header.DestinationList.ToArray());
        var check = MessageSigner.Verify(answer);
        Assert.True(check.Valid, check.ToString());
        Assert.Equal(party.NodeId, check.SignerNodeId);
        // It decodes as sent: what the SUT reads.
        Assert.True(ReloadCodec.DecodeCopy(ReloadCodec.Encode(answer)).IsSuccess);
    }

    [Fact]
    public void AForwardedRequestGoesBackAlongItsViaListReversedAndOthersGetAnError()
    {
        var (lab, factory, answers, party) = Setup();
        var sut = lab.Lab.SutIdentity;
        var origin = lab.Parties.Identities[1].NodeId;
        var fetch = factory.Request(new FetchReq(Opaque.Utf8("x"), []), sut, new NodeDestination(party.NodeId),
            h => h with { ViaList = [new NodeDestination(origin)] });

        var answer = answers.To(fetch)!;

        var error = Assert.IsType<ErrorResponse>(answer.Body);
        Assert.Equal(ErrorCodes.Forbidden, error.ErrorCode);
        Assert.Equal([new NodeDestination(sut.NodeId), new NodeDestination(origin)], answer.Header.DestinationList.ToArray());
        Assert.IsType<PingAns>(answers.To(factory.Request(new PingReq(Opaque.Empty), sut, new NodeDestination(party.NodeId)))!.Body);
    }
}
