using FsCheck;
using FsCheck.Fluent;
using P2psip.Messages;
using P2psip.Tests.Generators;
using P2psip.Wire;

namespace P2psip.Tests.Properties;

/// <summary>
/// The codec laws over generated messages of every kind: decode∘encode = id, encode∘decode = id on
/// valid bytes, and the decoder never throws — on arbitrary bytes, on every truncation and on every
/// single-byte change of a valid message. Seeds are fixed so a failure reruns identically; set
/// P2PSIP_PROPERTY_SEED to explore others, P2PSIP_PROPERTY_RUNS for longer runs.
/// </summary>
public class CodecLawProperties
{
    private static readonly int Runs = PropertyConfig.Runs(300);

    private static Config Config => PropertyConfig.Create(Runs);

    [Theory]
    [InlineData(16)]
    [InlineData(20)]
    public void Decode_of_encode_is_identity(int nodeIdLength)
    {
        var options = new DecodeOptions { NodeIdLength = nodeIdLength };
        Check.One(Config, Prop.ForAll(MessageGen.Message(nodeIdLength).ToArbitrary(), message =>
        {
            var bytes = ReloadCodec.Encode(message);
            var decoded = ReloadCodec.Decode(bytes, options);
            return decoded.IsSuccess && decoded.Value.Equals(message) && ReloadCodec.Encode(decoded.Value).AsSpan().SequenceEqual(bytes);
        }));
    }

    [Fact]
    public void Field_map_covers_the_encoding_exactly()
    {
        Check.One(Config, Prop.ForAll(MessageGen.Message().ToArbitrary(), message =>
        {
            var bytes = ReloadCodec.Encode(message);
            var map = ReloadCodec.FieldMap(message);
            // Leaves tile the message: in order, no gaps, no overlaps.
            int next = 0;
            foreach (var leaf in map.Descendants().Where(f => f.Children.Count == 0 && f.Kind != FieldKind.Container || f.Kind == FieldKind.Container && f.Children.Count == 0 && f.Length > 0))
            {
                if (leaf.Offset != next) return false;
                next += leaf.Length;
            }
            return next == bytes.Length && map.Length == bytes.Length;
        }));
    }

    [Fact]
    public void Decoding_arbitrary_bytes_never_throws()
    {
        var arbitrary = WireGen.Bytes(0, 200).Select(o => o.ToArray());
        // Bytes behind a valid-looking header reach the contents and security decoders too.
        var behindHeader = WireGen.Bytes(0, 200).Select(o =>
        {
            var head = Convert.FromHexString("d2454c4f000000000000" + "0a64c0000000");
            var total = head.Length + 4 + 8 + 4 + 6 + o.Length;
            var bytes = new byte[total];
            head.CopyTo(bytes, 0);
            System.Buffers.Binary.BinaryPrimitives.WriteUInt32BigEndian(bytes.AsSpan(16), (uint)total);
            o.Span.CopyTo(bytes.AsSpan(38));
            bytes[32] = 0; bytes[33] = 0; bytes[34] = 0; bytes[35] = 0; bytes[36] = 0; bytes[37] = 0;
            return bytes;
        });
        Check.One(Config, Prop.ForAll(Gen.OneOf(arbitrary, behindHeader).ToArbitrary(), bytes =>
        {
            var result = ReloadCodec.Decode(bytes);
            return result.IsSuccess ? ReloadCodec.Encode(result.Value).AsSpan().SequenceEqual(bytes) : result.Error.Offset <= bytes.Length;
        }));
    }

    [Fact]
    public void Every_truncation_fails_cleanly()
    {
        Check.One(PropertyConfig.Create(Runs / 3), Prop.ForAll(MessageGen.Message().ToArbitrary(), message =>
        {
            var bytes = ReloadCodec.Encode(message);
            for (int cut = 0; cut < bytes.Length; cut++)
            {
                var result = ReloadCodec.Decode(bytes.AsMemory(0, cut));
                if (result.IsSuccess || result.Error.Offset > cut) return false;
            }
            return true;
        }));
    }

    [Fact]
    public void Every_single_byte_change_decodes_or_fails_cleanly_and_valid_results_reencode_identically()
    {
        Check.One(PropertyConfig.Create(Runs / 3), Prop.ForAll(MessageGen.Message().ToArbitrary(), message =>
        {
            var original = ReloadCodec.Encode(message);
            foreach (var delta in new byte[] { 0x01, 0x80, 0xFF })
            {
                for (int i = 0; i < original.Length; i++)
                {
                    var bytes = (byte[])original.Clone();
                    bytes[i] ^= delta;
                    var result = ReloadCodec.Decode(bytes);
                    if (result.IsSuccess && !ReloadCodec.Encode(result.Value).AsSpan().SequenceEqual(bytes)) return false;
                    if (!result.IsSuccess && result.Error.Offset > bytes.Length) return false;
                }
            }
            return true;
        }));
    }
}
