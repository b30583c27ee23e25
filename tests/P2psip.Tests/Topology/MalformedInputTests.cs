using P2psip.Corpus;
using P2psip.Messages;
using P2psip.Tests.Wire;

namespace P2psip.Tests.Topology;

/// <summary>
/// The strict decoder never throws: every truncation of every seed, and every seed with any one
/// byte set to 0x00, 0x02 or 0xff, decodes to a message or to an error naming a field.
/// </summary>
public class MalformedInputTests
{
    public static TheoryData<string> SeedNames() => new(TopologySeeds.All().Select(s => s.Name));

    [Theory]
    [MemberData(nameof(SeedNames))]
    public void Truncated_and_mutated_seeds_never_throw(string name)
    {
        var bytes = ReloadCodec.Encode(MessageRoundTripTests.Sample(TopologySeeds.All().Single(s => s.Name == name).Body));
        for (int length = 0; length < bytes.Length; length++)
        {
            var truncated = ReloadCodec.DecodeCopy(bytes.AsSpan(0, length));
            Assert.False(truncated.IsSuccess);
            Assert.False(string.IsNullOrEmpty(truncated.Error.FieldPath));
        }
        foreach (byte value in new byte[] { 0x00, 0x02, 0xff })
        {
            for (int i = 0; i < bytes.Length; i++)
            {
                var mutated = (byte[])bytes.Clone();
                mutated[i] = value;
                var decoded = ReloadCodec.Decode(mutated);
                Assert.True(decoded.IsSuccess || !string.IsNullOrEmpty(decoded.Error.FieldPath));
            }
        }
    }
}
