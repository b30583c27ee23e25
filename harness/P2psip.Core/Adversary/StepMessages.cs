using P2psip.Links;
using P2psip.Messages;
using P2psip.Wire;

namespace P2psip.Adversary;

/// <summary>A step's message made ready to rebuild and send: the model when the bytes decode, else the bytes as they are.</summary>
public sealed record ComposedStep(ReloadMessage? Model, byte[] Bytes);

/// <summary>
/// Turns a <see cref="StepMessage"/> into a message: the captured bytes, or the template body of its
/// code under a header the caller makes for the target; then its field values written over it as
/// the adversary's <c>mutate set</c> writes them (<see cref="WireEdits"/>: integers Set at their width,
/// byte fields and structures Replaced). And checks a step's field tests on an answer with the
/// matchers' evaluator, so a step's <c>fields</c> mean what a rule's mean.
/// </summary>
public static class StepMessages
{
    /// <exception cref="ArgumentException">A field path names no field, or a value does not fit it (one line).</exception>
    public static ComposedStep Compose(StepMessage send, ForwardingHeader templateHeader)
    {
        ReloadMessage? model;
        byte[] bytes;
        if (send.Bytes is { } captured)
        {
            bytes = captured.ToArray();
            var decoded = ReloadCodec.DecodeCopy(bytes);
            model = decoded.IsSuccess ? decoded.Value : null;
        }
        else
        {
            var code = send.Code ?? throw new ArgumentException("a step sends hex or a code");
            var body = StepTemplates.Body(code) ?? throw new ArgumentException($"no template for message code {code}");
            model = new ReloadMessage(templateHeader, body);
            bytes = ReloadCodec.Encode(model);
        }
        if (send.Fields.Count == 0) return new ComposedStep(model, bytes);
        if (model is null) throw new ArgumentException("fields: the captured bytes do not decode, so no field can be written");
        var map = ReloadCodec.FieldMap(model);
        var edits = new WireEdits();
        foreach (var field in send.Fields)
        {
            var nodes = FieldValues.Select(map, field.Path).ToList();
            if (nodes.Count == 0) throw new ArgumentException($"fields: no field {field.Path} in {MessageCodes.NameOf(model.MessageCode) ?? "the message"}");
            foreach (var node in nodes)
            {
                if (FieldValues.IsInteger(node))
                {
                    if (!FieldValues.TryNumber(field.Value, out var number)) throw new ArgumentException($"fields: {field.Path} is a number, not '{field.Value}'");
                    edits.Set(node.Path, number & FieldValues.Mask(node.Width));
                }
                else
                {
                    if (!NodeResolver.TryHex(field.Value, out var hex)) throw new ArgumentException($"fields: {field.Path} takes hex bytes, not '{field.Value}'");
                    edits.Replace(node.Path, hex.Span);
                }
            }
        }
        try { bytes = ReloadCodec.Encode(model, edits); }
        catch (Exception e) when (e is WireEncodeException or OverflowException or InvalidOperationException)
        {
            throw new ArgumentException($"fields: the message cannot be written with them: {e.Message}");
        }
        // A message that still decodes can be rebuilt and re-signed; a broken one goes as written.
        var written = ReloadCodec.DecodeCopy(bytes);
        return new ComposedStep(written.IsSuccess ? written.Value : null, bytes);
    }

    /// <summary>The paths of the field tests that fail on <paramref name="answer"/> (empty when all hold).</summary>
    public static IReadOnlyList<string> FailingTests(Scenario scenario, IEnumerable<FieldTest> tests, ReloadMessage answer)
    {
        var evaluator = new MatcherEvaluator(new NodeResolver(scenario));
        var view = new MessageView(new AdversaryMessage(ReloadCodec.Encode(answer), LinkDirection.Inbound, 0) { Decoded = answer });
        return tests.Where(t => !evaluator.Matches(new Matcher { Fields = [t] }, view)).Select(t => t.Path).ToList();
    }
}
