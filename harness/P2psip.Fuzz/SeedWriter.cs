using P2psip.Framing;
using P2psip.Fuzz.Targets;
using P2psip.Messages;
using P2psip.Messages.Security;
using P2psip.Wire;

namespace P2psip.Fuzz;

/// <summary>
/// Writes the starting inputs of a target into a folder: the corpus messages (corpus/*.bin, one per
/// message code) shaped for the target, plus a few messages made here with the encoder so that a
/// campaign can start while the corpus is still empty. A seed that already crashes the target is a
/// finding, and afl-fuzz refuses to start with it: it goes to <c>DIR.crashing/</c> (named like
/// afl-fuzz's crash files, so triage picks it up) instead.
/// </summary>
public static class SeedWriter
{
    public static int Write(IFuzzTarget target, string directory, string? corpusDirectory)
    {
        Directory.CreateDirectory(directory);
        var messages = new List<(string Name, byte[] Bytes)>();
        if (corpusDirectory is not null && Directory.Exists(corpusDirectory))
            foreach (var file in Directory.EnumerateFiles(corpusDirectory, "*.bin").Order(StringComparer.Ordinal))
                messages.Add((Path.GetFileNameWithoutExtension(file), File.ReadAllBytes(file)));
        messages.AddRange(BuiltIn());

        int written = 0;
        var crashing = directory.TrimEnd('/', '\\') + ".crashing";
        void Save(string name, byte[] bytes)
        {
            var outcome = Reproducer.Classify(target, bytes);
            if (outcome.Exception is not null || outcome.Hung)
            {
                Directory.CreateDirectory(crashing);
                File.WriteAllBytes(Path.Combine(crashing, $"id:seed-{name}"), bytes);
                Console.Error.WriteLine($"seed {name} crashes the target ({outcome.Signature}): kept in {crashing} for triage");
                return;
            }
            File.WriteAllBytes(Path.Combine(directory, name + ".bin"), bytes);
            written++;
        }

        switch (target)
        {
            case SelfTestCrashTarget:
                Save("near-marker", SelfTestCrashTarget.NearMarker());
                break;
            case FramingTarget:
                // One frame per message, whole (chunk sizes 255+1) and in 7-byte chunks, plus an ACK.
                foreach (var (name, bytes) in messages)
                {
                    var frame = new DataFrame(1, bytes).Encode();
                    Save($"{name}.whole", [0, 255, .. frame]);
                    Save($"{name}.chunked", [1, 6, 2, .. frame]);
                }
                Save("ack-then-data", [0, 3, .. new AckFrame(7, 0x8000_0001).Encode(), .. new DataFrame(8, messages[^1].Bytes).Encode()]);
                break;
            case PeerTarget:
                // Whole messages shaped for the fuzz ring (its overlay, addressed to the target peer, signed by the harness).
                foreach (var (name, bytes) in messages)
                    foreach (var (suffix, shaped) in PeerTarget.Shape(bytes))
                        Save(name + suffix, shaped);
                foreach (var (name, bytes) in PeerTarget.BuiltIn())
                    Save(name, bytes);
                break;
            default:
                foreach (var (name, bytes) in messages)
                    Save(name, bytes);
                Save("framed-data", new DataFrame(1, messages[^1].Bytes).Encode());
                Save("framed-ack", new AckFrame(7, 0x8000_0001).Encode());
                break;
        }
        return written;
    }

    /// <summary>Messages the codec can build today, covering every part of the message layout.</summary>
    public static IEnumerable<(string Name, byte[] Bytes)> BuiltIn()
    {
        var header = new ForwardingHeader
        {
            Overlay = 0x12345678,
            TransactionId = 0x0102030405060708,
            DestinationList = [new NodeDestination(new byte[16]), new ResourceDestination(new byte[] { 0x46, 0x4f, 0x4f })],
            ViaList = [new CompressedDestination(0x8001)],
        };
        yield return ("builtin-error", ReloadCodec.Encode(new ReloadMessage(header, ErrorResponse.Of(ErrorCodes.NotFound, "nothing here"))));

        var signed = new ReloadMessage(
            header with { Options = [new ForwardingOption(1, 0x80, new byte[] { 1, 2, 3 })] },
            new MessageContents(new OpaqueBody(MessageCodes.PingReq, new byte[] { 0, 2, 0, 0 }))
            {
                Extensions = [new MessageExtension(1, true, new byte[] { 9 })],
            },
            new SecurityBlock(
                [new GenericCertificate(0, new byte[] { 0x30, 0x03, 0x02, 0x01, 0x01 })],
                new Signature(new SignatureAndHashAlgorithm(SignatureAndHashAlgorithm.HashSha256, 1),
                    SignerIdentity.OfCertHash(new byte[32]), new byte[] { 0xAA, 0xBB })));
        yield return ("builtin-signed-ping", ReloadCodec.Encode(signed));
    }
}
