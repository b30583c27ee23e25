using P2psip.Cli.Files;
using P2psip.Corpus;
using P2psip.Messages;
using P2psip.Wire;

namespace P2psip.Cli.Demo;

/// <summary>
/// The codec end to end: every seed message written to disk, decoded strictly and re-encoded to the
/// same bytes; then a deliberately wrong message written with edits and the decoder naming the field.
/// </summary>
internal static class CodecDemo
{
    public static DemoStep RoundTripCorpus(string corpusDirectory, OutputSet outputs)
    {
        Commands.CorpusCommand.Stage(corpusDirectory, outputs);
        var evidence = new List<string>();
        int ok = 0, total = 0;
        foreach (var (name, bytes) in SeedCorpus.All())
        {
            total++;
            var decoded = ReloadCodec.Decode(bytes);
            if (decoded.IsSuccess && ReloadCodec.Encode(decoded.Value).AsSpan().SequenceEqual(bytes)) ok++;
            else evidence.Add($"{name}: {(decoded.IsSuccess ? "re-encoding differs" : decoded.Error.ToString())}");
        }
        evidence.Insert(0, $"{ok}/{total} seed messages (every message code, plus a framed ACK) decode strictly and re-encode byte for byte; files in {corpusDirectory}");
        return new DemoStep("codec: seed corpus round trip", ok == total, evidence);
    }

    public static DemoStep WrongMessagesOnPurpose()
    {
        var (name, bytes) = SeedCorpus.All().First(s => s.Name == "store_req");
        var message = ReloadCodec.Decode(bytes).GetValueOrThrow();
        var cases = new (string Edit, WireEdits Edits)[]
        {
            ("set forwarding_header.version 1", new WireEdits().Set("forwarding_header.version", 1)),
            ("set forwarding_header.length 7", new WireEdits().Set("forwarding_header.length", 7)),
            ("set message_contents.message_body.length 4000", new WireEdits().Set("message_contents.message_body.length", 4000)),
            ("after forwarding_header.destination_list 00", new WireEdits().InsertAfter("forwarding_header.destination_list", [0x00])),
        };
        var evidence = new List<string>();
        bool allRejected = true;
        foreach (var (edit, edits) in cases)
        {
            var result = ReloadCodec.Decode(ReloadCodec.Encode(message, edits));
            allRejected &= !result.IsSuccess;
            evidence.Add($"{name} with '{edit}': {(result.IsSuccess ? "DECODED (should not)" : "invalid: " + result.Error)}");
        }
        return new DemoStep("codec: wrong messages written on purpose are rejected with field and offset", allRejected, evidence);
    }
}
