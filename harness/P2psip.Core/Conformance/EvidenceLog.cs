using P2psip.Messages;

namespace P2psip.Conformance;

/// <summary>
/// The messages one case sent and received, in order, bounded (floods keep the first
/// <see cref="Capacity"/> and count the rest), plus free-text notes (refused handshakes, waits).
/// </summary>
public sealed class EvidenceLog
{
    public const int Capacity = 400;

    private readonly List<EvidenceMessage> _messages = [];
    private readonly List<string> _notes = [];
    private long _omitted;

    public void Sent(string party, ReadOnlySpan<byte> bytes) => Add(EvidenceDirection.Sent, party, bytes);
    public void Received(string party, ReadOnlySpan<byte> bytes) => Add(EvidenceDirection.Received, party, bytes);

    public void Note(string note)
    {
        lock (_notes) _notes.Add(note);
    }

    public IReadOnlyList<EvidenceMessage> Messages
    {
        get { lock (_messages) return _messages.ToArray(); }
    }

    public IReadOnlyList<string> Notes
    {
        get
        {
            lock (_notes)
            {
                var omitted = Interlocked.Read(ref _omitted);
                return omitted == 0 ? _notes.ToArray() : [.. _notes, $"{omitted} further messages not kept (evidence holds the first {Capacity})"];
            }
        }
    }

    private void Add(EvidenceDirection direction, string party, ReadOnlySpan<byte> bytes)
    {
        lock (_messages)
        {
            if (_messages.Count >= Capacity)
            {
                Interlocked.Increment(ref _omitted);
                return;
            }
            _messages.Add(new EvidenceMessage(DateTimeOffset.UtcNow, direction, party, bytes.ToArray(), Summarise(bytes)));
        }
    }

    /// <summary>One line: the message's code name, transaction id and error, or the decoder's reason.</summary>
    public static string Summarise(ReadOnlySpan<byte> bytes)
    {
        var decoded = ReloadCodec.DecodeCopy(bytes);
        if (!decoded.IsSuccess) return $"undecodable ({bytes.Length} bytes): {decoded.Error}";
        var message = decoded.Value;
        var error = message.Body is ErrorResponse e ? $" {ErrorCodes.NameOf(e.ErrorCode) ?? $"error {e.ErrorCode}"}" : "";
        return $"{MessageName(message.MessageCode)} tid={message.Header.TransactionId:x16} ttl={message.Header.Ttl}{error} ({bytes.Length} bytes)";
    }

    private static string MessageName(ushort code) => MessageCodes.NameOf(code) ?? $"code 0x{code:x4}";
}
