using FsCheck;
using FsCheck.Fluent;
using P2psip.Corpus;
using P2psip.Messages;
using P2psip.Messages.Link;
using P2psip.Messages.Topology;
using P2psip.Tests.Generators;
using P2psip.Tests.Properties;
using P2psip.Tests.Wire;
using P2psip.Wire;

namespace P2psip.Tests.Topology;

/// <summary>The codec law decode(encode(m)) == m for the topology and link bodies, in whole messages.</summary>
public class TopologyRoundTripTests
{
    public static TheoryData<string> SeedNames() => new(TopologySeeds.All().Select(s => s.Name));

    private static void AssertRoundTrips(ReloadMessage message, DecodeOptions? options = null)
    {
        var bytes = ReloadCodec.Encode(message);
        var decoded = ReloadCodec.Decode(bytes, options);
        Assert.True(decoded.IsSuccess, decoded.Error?.ToString());
        Assert.Equal(message, decoded.Value);
        Assert.Equal(bytes, ReloadCodec.Encode(decoded.Value));
    }

    [Theory]
    [MemberData(nameof(SeedNames))]
    public void Seed_round_trips_in_a_message(string name)
    {
        var body = TopologySeeds.All().Single(s => s.Name == name).Body;
        Assert.Equal(name, MessageCodes.NameOf(body.Code));
        AssertRoundTrips(MessageRoundTripTests.Sample(body));
    }

    [Fact]
    public void Seeds_cover_every_topology_and_link_code_once()
    {
        ushort[] codes =
        [
            MessageCodes.ProbeReq, MessageCodes.ProbeAns, MessageCodes.AttachReq, MessageCodes.AttachAns,
            MessageCodes.JoinReq, MessageCodes.JoinAns, MessageCodes.LeaveReq, MessageCodes.LeaveAns,
            MessageCodes.UpdateReq, MessageCodes.UpdateAns, MessageCodes.RouteQueryReq, MessageCodes.RouteQueryAns,
            MessageCodes.PingReq, MessageCodes.PingAns, MessageCodes.AppAttachReq, MessageCodes.AppAttachAns,
            MessageCodes.ConfigUpdateReq, MessageCodes.ConfigUpdateAns,
        ];
        Assert.Equal(codes, TopologySeeds.All().Select(s => s.Body.Code).Order().ToArray());
        Assert.All(TopologySeeds.All(), s => Assert.IsNotType<OpaqueBody>(s.Body));
    }

    [Fact]
    public void Generator_reaches_every_code_and_every_select_case()
    {
        var bodies = TopologyBodyGen.Any(16).Sample(2000);
        Assert.Equal(2000, bodies.Length);
        var expected = TopologySeeds.All().Select(s => s.Body.Code).Order();
        Assert.Equal(expected, bodies.Select(b => b.Code).Distinct().Order());
        var cases = bodies.OfType<UpdateReq>().Select(u => u.Update.GetType())
            .Concat(bodies.OfType<ConfigUpdateReq>().Select(c => c.GetType()))
            .Concat(bodies.OfType<ProbeAns>().SelectMany(p => p.ProbeInfo).Select(i => i.GetType()))
            .Concat(bodies.OfType<RouteQueryReq>().Select(q => q.Destination.GetType()))
            .Distinct().Count();
        Assert.Equal(3 + 3 + 4 + 5, cases);
    }

    [Fact]
    public void Generated_bodies_round_trip_in_a_message()
    {
        var property = Prop.ForAll(TopologyBodyGen.Any(16).ToArbitrary(), body =>
        {
            var message = MessageRoundTripTests.Sample(body);
            var bytes = ReloadCodec.Encode(message);
            var decoded = ReloadCodec.Decode(bytes);
            return decoded.IsSuccess && decoded.Value.Equals(message) && bytes.AsSpan().SequenceEqual(ReloadCodec.Encode(decoded.Value));
        });
        Check.One(PropertyConfig.Create(PropertyConfig.Runs(200)), property);
    }

    [Fact]
    public void Generated_bodies_round_trip_with_20_byte_node_ids()
    {
        var options = new DecodeOptions { NodeIdLength = 20 };
        var property = Prop.ForAll(TopologyBodyGen.Any(20).ToArbitrary(), body =>
        {
            var message = MessageRoundTripTests.Sample(body) with
            {
                Header = MessageRoundTripTests.Sample(body).Header with { DestinationList = [new NodeDestination(new byte[20])] },
            };
            var decoded = ReloadCodec.Decode(ReloadCodec.Encode(message), options);
            return decoded.IsSuccess && decoded.Value.Equals(message);
        });
        Check.One(PropertyConfig.Create(PropertyConfig.Runs(200)), property);
    }
}
