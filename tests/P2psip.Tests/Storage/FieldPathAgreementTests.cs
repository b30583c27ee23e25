using P2psip.Corpus;
using P2psip.Messages;
using P2psip.Tests.Wire;
using P2psip.Wire;

namespace P2psip.Tests.Storage;

/// <summary>
/// The encoder's field paths and the decoder's error paths name the same fields: a length the
/// adversary overrides (through <see cref="WireEdits"/>) so that it runs past its container is
/// reported by the decoder at that field's offset, under that field's structure.
/// </summary>
public class FieldPathAgreementTests
{
    public static TheoryData<string> SeedNames => new(StorageSeeds.All().Select(s => s.Name));

    [Theory]
    [MemberData(nameof(SeedNames))]
    public void An_overlong_length_is_reported_where_the_encoder_wrote_it(string name)
    {
        var message = MessageRoundTripTests.Sample(StorageSeeds.All().Single(s => s.Name == name).Body);
        var map = ReloadCodec.FieldMap(message);
        // The largest value each length can hold; kept only where it exceeds all the bytes after
        // the field, so that it must run past whatever container holds it.
        static ulong Largest(FieldNode n) => n.Width >= 8 ? ulong.MaxValue : (1UL << (8 * n.Width)) - 1;
        var lengths = map.Descendants()
            .Where(n => n.Kind == FieldKind.Length && n.Path.StartsWith("message_contents.message_body." + name + ".", StringComparison.Ordinal))
            .Where(n => Largest(n) > (ulong)(map.Length - n.Offset - n.Width))
            .ToList();
        Assert.NotEmpty(lengths);
        foreach (var length in lengths)
        {
            ulong overlong = Largest(length);
            var bytes = ReloadCodec.Encode(message, new WireEdits().Set(length.Path, overlong));
            var decoded = ReloadCodec.Decode(bytes);
            Assert.False(decoded.IsSuccess, $"{length.Path} = {overlong} decoded");
            var structure = length.Path[..length.Path.LastIndexOf('.')];
            Assert.True(decoded.Error.FieldPath.StartsWith(structure, StringComparison.Ordinal), $"{length.Path}: error at {decoded.Error}");
            Assert.Equal(length.Offset, decoded.Error.Offset);
        }
    }
}
