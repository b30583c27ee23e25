using P2psip.Framing;

namespace P2psip.Fuzz.Targets;

/// <summary>
/// The stream reassembler (§6.6.5) fed the input in chunks, so that frame boundaries fall anywhere.
/// Layout of an input: byte 0 gives how many chunk-size bytes follow (1 + byte0 % 8); each of those
/// is a chunk size (1 + value), used in turn and round again; the rest of the input is the stream.
/// Beyond "never throws", the target checks the reassembler's bookkeeping: every byte pushed is
/// either in a frame that came out, still buffered, or the stream has failed; frames re-encode to
/// the bytes they came from.
/// </summary>
public sealed class FramingTarget : IFuzzTarget
{
    public string Name => "framing";

    public void Run(ReadOnlyMemory<byte> input)
    {
        var span = input.Span;
        int sizeCount = span.Length == 0 ? 0 : Math.Min(1 + span[0] % 8, span.Length - 1);
        var sizes = span.Slice(Math.Min(1, span.Length), sizeCount);
        var stream = input[Math.Min(1 + sizeCount, span.Length)..];

        var reassembler = new FrameReassembler();
        long framed = 0;
        int pos = 0, chunk = 0;
        while (pos < stream.Length && reassembler.Error is null)
        {
            int size = sizes.Length == 0 ? stream.Length : Math.Min(1 + sizes[chunk++ % sizes.Length], stream.Length - pos);
            foreach (var frame in reassembler.Push(stream.Span.Slice(pos, size)))
            {
                var bytes = frame.Encode();
                long at = framed;
                if (at + bytes.Length > stream.Length || !stream.Span.Slice((int)at, bytes.Length).SequenceEqual(bytes))
                    throw new FuzzOracleException($"frame at stream offset {at} re-encoded to different bytes");
                if (frame is DataFrame data) DecodeTarget.DecodeMessage(data.Message.Memory);
                framed += bytes.Length;
            }
            pos += size;
            if (reassembler.Error is null && framed + reassembler.Buffered != pos)
                throw new FuzzOracleException($"after {pos} bytes pushed, {framed} are in frames and {reassembler.Buffered} buffered");
        }
        // An empty chunk completes nothing and changes nothing. This push also means that even an
        // empty input reaches instrumented code: SharpFuzz 2.3.0 may read the very first input before
        // afl-fuzz has written it, and afl-fuzz aborts ("No instrumentation detected") if that run
        // leaves the coverage map empty.
        int buffered = reassembler.Buffered;
        if (reassembler.Push([]).Count != 0 || reassembler.Buffered != buffered)
            throw new FuzzOracleException("an empty chunk changed the reassembler");
        if (reassembler.Error is not null) _ = reassembler.Error.ToString();
    }
}
