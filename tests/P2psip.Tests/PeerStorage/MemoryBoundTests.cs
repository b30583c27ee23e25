using System.Buffers.Binary;
using P2psip.Messages;
using P2psip.Messages.Security;
using P2psip.Messages.Storage;
using P2psip.Peer;
using P2psip.Peer.Storage;
using P2psip.Wire;
using static P2psip.Tests.PeerStorage.StorageKit;

namespace P2psip.Tests.PeerStorage;

/// <summary>TR-5: under a flood of 100,000 stores the engine's memory stays bounded and honest stores still succeed.</summary>
public class MemoryBoundTests(Xunit.Abstractions.ITestOutputHelper output)
{
    private const int Flood = 100_000;

    private static readonly StorageLimits Small = new()
    {
        MaxTotalValues = 20_000,
        MaxTotalBytes = 64L * 1024 * 1024,
        MaxValuesPerStorer = 5_000,
        MaxBytesPerStorer = 32L * 1024 * 1024,
    };

    /// <summary>
    /// Floods <paramref name="engine"/> as Bob with <see cref="Flood"/> distinct 200-byte values at
    /// distinct Resource-IDs (unsigned, so only engines with access control and data signatures off
    /// accept them at all); returns how many were refused with Error_Data_Too_Large.
    /// </summary>
    private static int FloodAsBob(StorageEngine engine)
    {
        // The peer tells the engine each message's size (it has the bytes), so the engine need not re-encode.
        var context = From(Bob) with { MessageLength = 400 };
        var payload = new byte[200];
        int refused = 0;
        for (int i = 0; i < Flood; i++)
        {
            var id = new byte[16];
            BinaryPrimitives.WriteInt32BigEndian(id.AsSpan(12), i);
            BinaryPrimitives.WriteInt32BigEndian(payload, i);
            var value = new StoredData(Ms(T0) + (ulong)i, 3600, new SingleValueEntry(DataValue.Of(payload.ToArray())), Signature.Unsigned);
            var answer = engine.Store(new StoreReq(id, 0, [new StoreKindData(PrivateOpen, 0, [value])]), context);
            if (answer is ErrorResponse { ErrorCode: ErrorCodes.DataTooLarge }) refused++;
            else Assert.IsType<StoreAns>(answer);
        }
        return refused;
    }

    [Fact]
    public void The_per_storer_quota_stops_a_flooder_and_honest_stores_still_succeed()
    {
        var engine = Engine(DefenceSwitches.AllOn.Disable(DefenceSwitches.AccessControl, DefenceSwitches.DataSignatures), Small);
        var clock = System.Diagnostics.Stopwatch.StartNew();
        int refused = FloodAsBob(engine);
        output.WriteLine($"{Flood} stores in {clock.ElapsedMilliseconds} ms; held: {engine.Usage}");
        Assert.Equal(Small.MaxValuesPerStorer, engine.Usage.Values);
        Assert.Equal(Flood - Small.MaxValuesPerStorer, refused);

        var resource = UserResource(Alice, PrivateSingle);
        Stored(engine.Store(StoreOf(resource, PrivateSingle, Signed(Alice, resource, PrivateSingle, Single("honest"), Ms(T0))), From(Alice)));
        Assert.Equal(Small.MaxValuesPerStorer + 1, engine.Usage.Values);
    }

    [Fact]
    public void With_every_defence_off_the_engines_hard_bound_still_holds()
    {
        var everythingOff = DefenceSwitches.AllOn.Disable(DefenceSwitches.Catalogue.Select(d => d.Name));
        var engine = Engine(everythingOff, Small);
        int refused = FloodAsBob(engine);
        output.WriteLine($"held: {engine.Usage}");

        // Counted, not measured on the heap: the values and bytes held, and the resources they sit in.
        Assert.Equal(Small.MaxTotalValues, engine.Usage.Values);
        Assert.Equal(Flood - Small.MaxTotalValues, refused);
        Assert.True(engine.Usage.Bytes <= Small.MaxTotalBytes);
        Assert.InRange(engine.ResourceIds.Count, 1, Small.MaxTotalValues);

        // Space comes back as values expire, and stores succeed again.
        Assert.Equal(Small.MaxTotalValues, engine.Expire(T0.AddHours(2)));
        Assert.Equal(new StorageUsage(0, 0, 0), engine.Usage);
    }

    [Fact]
    public void The_byte_bound_holds_for_large_values()
    {
        var limits = Small with { MaxTotalValues = 1_000_000, MaxTotalBytes = 1024 * 1024 };
        var engine = Engine(DefenceSwitches.AllOn.Disable(DefenceSwitches.Catalogue.Select(d => d.Name)), limits);
        var context = From(Bob);
        int accepted = 0;
        for (int i = 0; i < 2_000; i++)
        {
            var id = new byte[16];
            BinaryPrimitives.WriteInt32BigEndian(id.AsSpan(12), i);
            var value = new StoredData(Ms(T0), 3600, new SingleValueEntry(DataValue.Of(new byte[4000])), Signature.Unsigned);
            if (engine.Store(new StoreReq(id, 0, [new StoreKindData(PrivateOpen, 0, [value])]), context) is StoreAns) accepted++;
        }
        Assert.True(engine.Usage.Bytes <= limits.MaxTotalBytes);
        Assert.Equal(accepted, engine.Usage.Values);
        Assert.InRange(accepted, 1024 * 1024 / (4000 + 1024 + 200), 1024 * 1024 / 4000);
    }
}
