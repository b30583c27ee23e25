using P2psip.Messages;
using P2psip.Messages.Link;
using P2psip.Messages.Topology;
using P2psip.Security;
using P2psip.Wire;

namespace P2psip.Conformance.Probe;

/// <summary>
/// What a harness party answers when the SUT sends it a request (a SUT that took a party for a
/// neighbour sends it Updates, replicas, Attaches and forwarded requests, §10.7, §10.4, and counts
/// an unanswered request as the neighbour's failure, §10.7.1; network fuzzing keeps party links open
/// from case to case, conformance cases keep stable neighbours): Update gets an empty UpdateAns (§10.7.3: the
/// CHORD-RELOAD answer has no body), Ping a PingAns (§6.5.3), anything else Error_Forbidden, so the
/// SUT's transactions end at once instead of timing out and the link stays healthy. Answers are
/// not part of a case (its digest covers what the case sends), and they say nothing new: a party
/// never claims data or routes.
/// </summary>
public sealed class PartyAnswers(MessageFactory factory, Identity party, Opaque sutNodeId)
{
    private ulong _pings;

    public ReloadMessage? To(ReloadMessage request)
    {
        MessageBody body = request.Body switch
        {
            UpdateReq => new UpdateAns(Opaque.Empty),
            PingReq => new PingAns(Interlocked.Increment(ref _pings), 0),
            _ => ErrorResponse.Of(ErrorCodes.Forbidden, "a harness party answers Update and Ping only"),
        };
        return factory.Answer(request, sutNodeId, body, party);
    }
}
