using P2psip.Capture;
using P2psip.Messages;
using P2psip.Wire;

namespace P2psip.Replay;

/// <summary>
/// The requests of a capture, in capture order, each with its captured answer, read with the
/// streaming <see cref="ReloadCaptureDecoder"/> (TCP or UDP, framed or not). Answers are paired with
/// requests by transaction id (§6.3.2); responders are the signers of the answers, whose Node-IDs
/// the replay maps onto the target's.
/// </summary>
public sealed class ReplayCapture
{
    private ReplayCapture(IReadOnlyList<CapturedExchange> exchanges, IReadOnlySet<Opaque> responderNodeIds, long skippedBytes, long undecodable)
    {
        Exchanges = exchanges;
        ResponderNodeIds = responderNodeIds;
        SkippedBytes = skippedBytes;
        Undecodable = undecodable;
    }

    public IReadOnlyList<CapturedExchange> Exchanges { get; }

    /// <summary>The Node-IDs that signed answers in the capture (the captured SUT and whoever else answered).</summary>
    public IReadOnlySet<Opaque> ResponderNodeIds { get; }

    /// <summary>Stream bytes the decoder could not parse as frames or messages.</summary>
    public long SkippedBytes { get; }

    /// <summary>Messages that were framed but did not decode as RELOAD.</summary>
    public long Undecodable { get; }

    /// <summary>
    /// Reads <paramref name="path"/>. <paramref name="port"/> is the capture's RELOAD port; null takes
    /// every TCP and UDP flow (a capture of any port), answers and requests told apart by message code.
    /// </summary>
    /// <exception cref="CaptureFileException">The file is missing, not a capture, damaged, or holds no RELOAD request.</exception>
    public static ReplayCapture Read(string path, ushort? port = null, DecodeOptions? options = null)
    {
        using var reader = PcapFileReader.Open(path);
        var decoder = port is { } p ? new ReloadCaptureDecoder(reader, q => q == p) : new ReloadCaptureDecoder(reader, _ => true);
        var requests = new List<(CaptureItem Item, string Sender, ReloadMessage Message)>();
        var answers = new Dictionary<ulong, ReloadMessage>();
        var responders = new HashSet<Opaque>();
        long undecodable = 0;
        foreach (var item in decoder.Items())
        {
            if (item.Kind != CaptureItemKind.Message) continue;
            var decoded = ReloadCodec.DecodeCopy(item.Message.Span, options);
            if (!decoded.IsSuccess)
            {
                undecodable++;
                continue;
            }
            var message = decoded.Value;
            if (MessageCodes.IsRequest(message.MessageCode))
            {
                requests.Add((item, item.Stream.SourceText, message));
                continue;
            }
            // The first answer per transaction id counts; a retransmitted answer repeats it.
            answers.TryAdd(message.Header.TransactionId, message);
            if (SignerNodeId(message) is { } responder) responders.Add(responder);
        }
        if (requests.Count == 0)
            throw new CaptureFileException($"{path}: no RELOAD request in the capture ({decoder.PacketsRead} packets, {decoder.Messages} messages" +
                (port is { } rp ? $" on port {rp}" : "") + ")");
        // A request sent to a Node-ID and answered was answered by that node (or on its behalf), even when
        // the answer's bucket does not carry the signer's certificate.
        foreach (var (_, _, request) in requests)
        {
            if (answers.ContainsKey(request.Header.TransactionId) && request.Header.DestinationList.Count > 0 &&
                request.Header.DestinationList[^1] is NodeDestination node)
                responders.Add(node.NodeId);
        }
        var exchanges = requests.Select((r, i) => new CapturedExchange(i + 1, r.Item.FrameNumber, r.Item.TimestampMicros, r.Sender, r.Message,
            answers.GetValueOrDefault(r.Message.Header.TransactionId))).ToList();
        return new ReplayCapture(exchanges, responders, decoder.SkippedBytes, undecodable);
    }

    /// <summary>The certificate that signed <paramref name="message"/>, when it travels in the message's bucket (§6.3.4).</summary>
    public static Security.ReloadCertificate? SignerCertificate(ReloadMessage message)
    {
        var signer = message.Security.Signature.Identity;
        if (signer.IdentityType == Messages.Security.SignerIdentity.NoneType) return null;
        var certificates = Security.MessageSigner.ParseAll(message.Security.Certificates.Select(c => c.Certificate));
        foreach (var certificate in certificates)
        {
            if (signer.IdentityType == Messages.Security.SignerIdentity.CertHash && signer.Hash.Span.SequenceEqual(certificate.Hash)) return certificate;
            if (signer.IdentityType == Messages.Security.SignerIdentity.CertHashNodeId &&
                certificate.NodeIds.Any(id => signer.Hash.Span.SequenceEqual(Security.MessageSigner.NodeIdHash(id.Span, certificate.Der))))
                return certificate;
        }
        return null;
    }

    private static Opaque? SignerNodeId(ReloadMessage message) =>
        SignerCertificate(message) is { NodeIds.Count: > 0 } certificate ? certificate.NodeIds[0] : (Opaque?)null;
}
