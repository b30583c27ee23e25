using FsCheck;
using FsCheck.Fluent;
using P2psip.Corpus;
using P2psip.Messages;
using P2psip.Messages.Storage;
using P2psip.Tests.Generators;
using P2psip.Tests.Properties;
using P2psip.Tests.Wire;
using P2psip.Wire;

namespace P2psip.Tests.Storage;

/// <summary>decode(encode(m)) == m for the corpus seeds and for generated bodies, inside whole messages.</summary>
public class StorageRoundTripTests
{
    public static TheoryData<string> SeedNames => new(StorageSeeds.All().Select(s => s.Name));

    private static MessageBody Seed(string name) => StorageSeeds.All().Single(s => s.Name == name).Body;

    private static void AssertRoundTrip(ReloadMessage message, DecodeOptions? options = null)
    {
        var bytes = ReloadCodec.Encode(message);
        var decoded = ReloadCodec.Decode(bytes, options);
        Assert.True(decoded.IsSuccess, decoded.Error?.ToString());
        Assert.Equal(message, decoded.Value);
        Assert.Equal(bytes, ReloadCodec.Encode(decoded.Value));
    }

    [Theory]
    [MemberData(nameof(SeedNames))]
    public void Every_seed_round_trips(string name)
    {
        var body = Seed(name);
        Assert.Equal(name, body.FieldName);
        AssertRoundTrip(MessageRoundTripTests.Sample(body));
    }

    [Fact]
    public void There_is_a_seed_for_every_storage_code()
    {
        ushort[] codes = [MessageCodes.StoreReq, MessageCodes.StoreAns, MessageCodes.FetchReq, MessageCodes.FetchAns,
                          MessageCodes.StatReq, MessageCodes.StatAns, MessageCodes.FindReq, MessageCodes.FindAns];
        Assert.Equal(codes, StorageSeeds.All().Select(s => s.Body.Code).ToArray());
    }

    [Fact]
    public void The_store_req_seed_is_a_signed_SIP_registration_of_about_300_bytes()
    {
        var store = Assert.IsType<StoreReq>(Seed("store_req"));
        var w = new WireWriter();
        store.WriteFields(w);
        Assert.InRange(w.Position, 270, 330);
        var value = Assert.Single(Assert.Single(store.KindData).Values);
        var entry = Assert.IsType<DictionaryEntry>(value.Value);
        Assert.Equal(StorageSeeds.AliceNodeId, entry.Key);
        Assert.Equal(128, value.Signature!.Value.Length);
        var registration = SipRegistration.Decode(entry.Value.Value);
        Assert.True(registration.IsSuccess, registration.Error?.ToString());
        Assert.IsType<SipRegistrationRoute>(registration.Value);
    }

    [Fact]
    public void Field_map_names_the_StoredData_fields()
    {
        var map = ReloadCodec.FieldMap(MessageRoundTripTests.Sample(Seed("store_req")));
        var kind = map.Find("message_contents.message_body.store_req.kind_data[0].kind")!;
        Assert.Equal((ulong)KindRegistry.SipRegistration, kind.Value);
        Assert.Equal("SIP-REGISTRATION", kind.Meaning);
        Assert.NotNull(map.Find("message_contents.message_body.store_req.kind_data[0].values[0].value.dictionary_entry.key.length"));
        Assert.NotNull(map.Find("message_contents.message_body.store_req.kind_data[0].values[0].signature.signature_value.length"));
    }

    [Fact]
    public void Generated_bodies_round_trip()
    {
        var property = Prop.ForAll(Arb.From(StorageBodyGen.Any(16)), body =>
        {
            AssertRoundTrip(MessageRoundTripTests.Sample(body));
            return true;
        });
        Check.One(PropertyConfig.Create(PropertyConfig.Runs(200)), property);
    }

    [Fact]
    public void Generated_SIP_registrations_round_trip_through_their_DataValue()
    {
        var options = new DecodeOptions { NodeIdLength = 20 };
        var property = Prop.ForAll(Arb.From(StorageBodyGen.Registration(20)), registration =>
        {
            var decoded = SipRegistration.Decode(registration.ToDataValue().Value, options);
            Assert.True(decoded.IsSuccess, decoded.Error?.ToString());
            Assert.Equal(registration, decoded.Value);
            return true;
        });
        Check.One(PropertyConfig.Create(PropertyConfig.Runs(200)), property);
    }

    [Fact]
    public void Generated_bodies_round_trip_with_20_byte_Node_IDs()
    {
        var options = new DecodeOptions { NodeIdLength = 20 };
        var property = Prop.ForAll(Arb.From(StorageBodyGen.Any(20)), body =>
        {
            var message = MessageRoundTripTests.Sample(body) with
            {
                Header = MessageRoundTripTests.Sample(body).Header with { DestinationList = [new NodeDestination(new byte[20])] },
            };
            AssertRoundTrip(message, options);
            return true;
        });
        Check.One(PropertyConfig.Create(PropertyConfig.Runs(100)), property);
    }
}
