using P2psip.Links;
using P2psip.Messages;
using P2psip.Messages.Security;
using P2psip.Messages.Storage;
using P2psip.Security;
using P2psip.Wire;

namespace P2psip.Adversary;

/// <summary>
/// Builds the message a <see cref="ForgeAction"/> injects, from its template and the matched
/// message, with the codec's message model: an answer carries the request's transaction id and goes
/// back along the request's Via list with the previous hop, reversed (§6.2.2, §6.3.2.2).
/// </summary>
internal static class ForgedMessages
{
    public static WorkingCopy? Build(ForgeAction forge, MessageView v, Func<string?, Identity> identity, List<string> notes)
    {
        var direction = forge.Send == ForgeRoute.Back
            ? (v.Message.Direction == LinkDirection.Inbound ? LinkDirection.Outbound : LinkDirection.Inbound)
            : v.Message.Direction;
        if (forge.Template == ForgeTemplate.Message)
        {
            var raw = forge.Message?.ToArray() ?? [];
            var decoded = ReloadCodec.Decode(raw).Value;
            if (decoded is not null && v.Decoded is not null)
                decoded = decoded with { Header = decoded.Header with { TransactionId = v.Decoded.Header.TransactionId } };
            return new WorkingCopy { Role = CopyRole.Inject, Model = decoded, Raw = decoded is null ? raw : null, Direction = direction };
        }
        if (v.Decoded is not { } request || !MessageCodes.IsRequest(request.MessageCode))
        {
            notes.Add($"forge {Name(forge.Template)}: the message is not a request to answer");
            return null;
        }
        MessageBody? body = forge.Template switch
        {
            ForgeTemplate.Error => new ErrorResponse(forge.ErrorCode ?? ErrorCodes.NotFound, Opaque.Utf8(forge.Info ?? "")),
            _ => FetchAnswer(forge, request, identity),
        };
        if (body is null)
        {
            notes.Add("forge fetch_ans: the message is not a fetch_req");
            return null;
        }
        return new WorkingCopy { Role = CopyRole.Inject, Model = new ReloadMessage(AnswerHeader(request, v.PreviousHop), body), Direction = direction };
    }

    public static string Name(ForgeTemplate t) => t switch
    {
        ForgeTemplate.Error => "error",
        ForgeTemplate.FetchAns => "fetch_ans",
        _ => "message",
    };

    /// <summary>The header of an answer to <paramref name="request"/>: Destination List = (Via + previous hop) reversed.</summary>
    public static ForwardingHeader AnswerHeader(ReloadMessage request, Opaque previousHop)
    {
        var path = request.Header.ViaList.ToList();
        if (!previousHop.IsEmpty) path.Add(new NodeDestination(previousHop));
        path.Reverse();
        return new ForwardingHeader
        {
            Overlay = request.Header.Overlay,
            ConfigurationSequence = request.Header.ConfigurationSequence,
            TransactionId = request.Header.TransactionId,
            DestinationList = path.ToArray(),
        };
    }

    /// <summary>
    /// One FetchKindResponse per specifier (§7.4.2.2): with the forged value in the specifier's data
    /// model, signed as the action's identity when it re-signs; without a value, no StoredData ("not found").
    /// </summary>
    private static FetchAns? FetchAnswer(ForgeAction forge, ReloadMessage request, Func<string?, Identity> identity)
    {
        if (request.Body is not FetchReq fetch) return null;
        var signer = forge.Signature is { Mode: SignatureMode.Resign } s ? identity(s.As) : null;
        var responses = new List<FetchKindResponse>();
        foreach (var spec in fetch.Specifiers)
        {
            var values = new List<StoredData>();
            if (forge.Value is { } forged)
            {
                var data = DataValue.Of(forged);
                StoredDataValue? value = spec.ModelSpecifier switch
                {
                    SingleValueSpecifier => new SingleValueEntry(data),
                    DictionarySpecifier d => new DictionaryEntry(d.Keys.Count > 0 ? d.Keys[0] : signer?.NodeId ?? Opaque.Empty, data),
                    ArraySpecifier a => new ArrayEntry(a.Indices.Count > 0 ? a.Indices[0].First : 0, data),
                    _ => null,
                };
                if (value is not null)
                {
                    var stored = new StoredData(forge.StorageTime ?? 0, forge.Lifetime ?? 86400, value, Signature.Unsigned);
                    values.Add(signer is null ? stored : MessageSigner.SignStoredData(signer, fetch.Resource, spec.Kind, stored));
                }
            }
            responses.Add(new FetchKindResponse(spec.Kind, spec.Generation + 1, values.ToArray()));
        }
        return new FetchAns(responses.ToArray());
    }
}
