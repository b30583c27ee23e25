using System.Globalization;
using System.Text.RegularExpressions;
using P2psip.Links;
using P2psip.Messages;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;
using YamlDotNet.RepresentationModel;

namespace P2psip.Adversary;

/// <summary>
/// Writes a scenario as normalised YAML: fixed key order, message codes and error codes by name,
/// lower-case hex, one-line mappings for actions and field tests. What it writes loads back equal.
/// </summary>
internal static partial class ScenarioWriter
{
    public static string Write(Scenario s)
    {
        var root = new YamlMappingNode();
        root.Add("name", Text(s.Name));
        if (s.Description is { } d) root.Add("description", Text(d));
        if (s.Seed is { } seed) root.Add("seed", Number(seed));
        if (s.Identities.Count > 0)
            root.Add("identities", new YamlSequenceNode(s.Identities.Select(Identity)));
        if (s.Nodes.Count > 0)
        {
            var nodes = new YamlMappingNode();
            foreach (var n in s.Nodes) nodes.Add(Text(n.Name), Text(n.NodeId.ToHex()));
            root.Add("nodes", nodes);
        }
        root.Add("rules", new YamlSequenceNode(s.Rules.Select(Rule)));
        if (s.Responders.Count > 0) root.Add("responders", Flow(s.Responders.Select(n => Text(n.ToHex()))));
        if (s.Steps.Count > 0) root.Add("steps", new YamlSequenceNode(s.Steps.Select(Step)));
        var writer = new StringWriter { NewLine = "\n" };
        new YamlStream(new YamlDocument(root)).Save(writer, assignAnchors: false);
        var text = writer.ToString();
        // YamlStream ends every document with "..."; a single-document file needs none.
        return text.EndsWith("...\n", StringComparison.Ordinal) ? text[..^4] : text;
    }

    private static YamlMappingNode Identity(ScenarioIdentity i)
    {
        var m = new YamlMappingNode { { "name", Text(i.Name) } };
        if (i.KeyFile is { } key) m.Add("key", Text(key));
        if (i.CertificateFile is { } cert) m.Add("cert", Text(cert));
        if (i.User is { } user) m.Add("user", Text(user));
        if (i.NodeIds.Count > 0) m.Add("node_ids", Flow(i.NodeIds.Select(n => Text(n.ToHex()))));
        if (!i.FromFiles && i.Issuer != IdentityIssuer.Lab) m.Add("issuer", i.Issuer == IdentityIssuer.Foreign ? "foreign" : "self-signed");
        if (i.Expired) m.Add("expired", "true");
        return m;
    }

    private static YamlMappingNode Step(ScenarioStep step)
    {
        var m = new YamlMappingNode();
        if (step.Name is { } name) m.Add("name", Text(name));
        if (step.From is { } from) m.Add("from", Text(from));
        var send = new YamlMappingNode();
        if (step.Send.Code is { } code) send.Add("code", CodeName(code));
        if (step.Send.Fields.Count > 0)
            send.Add("fields", new YamlSequenceNode(step.Send.Fields.Select(f =>
                (YamlNode)new YamlMappingNode { { "path", Text(f.Path) }, { "value", Text(f.Value) } }.Flowing())));
        if (step.Send.Bytes is { } bytes) send.Add("hex", Text(bytes.ToHex()));
        m.Add("send", send);
        if (step.Rewrites != ReplayRewrites.All) m.Add("rewrite", Text(ReplayRewriteNames.Format(step.Rewrites)));
        if (step.Expect is { } e)
        {
            var x = new YamlMappingNode();
            bool impliesAnswer = e.Code is not null || e.ErrorCode is not null || e.Bytes is not null || e.Fields.Count > 0;
            if (e.Answer == StepAnswer.None) x.Add("answer", "none");
            else if (e.ErrorCode is null && e.Code is { } c) x.Add("answer", CodeName(c));
            else if (e.Answer == StepAnswer.Some && !impliesAnswer) x.Add("answer", "any");
            if (e.ErrorCode is { } err) x.Add("error", ErrorCodes.NameOf(err) is { } en && err != ErrorCodes.Invalid ? Text(en) : Number(err));
            if (e.Fields.Count > 0) x.Add("fields", new YamlSequenceNode(e.Fields.Select(FieldTestNode)));
            if (e.Liveness is { } l) x.Add("liveness", l == StepLiveness.Alive ? "alive" : "lost");
            if (e.Bytes is { } answer) x.Add("hex", Text(answer.ToHex()));
            m.Add("expect", x);
        }
        return m;
    }

    private static YamlScalarNode CodeName(ushort code) => MessageCodes.NameOf(code) is { } n && code != MessageCodes.Invalid ? Text(n) : Number(code);

    private static YamlNode FieldTestNode(FieldTest f)
    {
        var t = new YamlMappingNode { { "path", Text(f.Path) }, { "op", f.Op.ToString().ToLowerInvariant() } };
        if (f.Value is { } v) t.Add("value", Text(v));
        t.Style = MappingStyle.Flow;
        return t;
    }

    private static YamlMappingNode Flowing(this YamlMappingNode node)
    {
        node.Style = MappingStyle.Flow;
        return node;
    }

    private static YamlMappingNode Rule(Rule r)
    {
        var m = new YamlMappingNode();
        if (r.Name is { } name) m.Add("name", Text(name));
        if (r.Match != Adversary.Matcher.Everything) m.Add("match", MatcherNode(r.Match));
        if (r.Nth is { } nth) m.Add("nth", Number(nth));
        if (r.Every is { } every) m.Add("every", Number(every));
        if (r.After is { } after) m.Add("after", Number(after));
        if (r.Limit is { } limit) m.Add("limit", Number(limit));
        if (r.Probability is { } p) m.Add("probability", new YamlScalarNode(p.ToString("R", CultureInfo.InvariantCulture)));
        m.Add("actions", new YamlSequenceNode(r.Actions.Select(Action)));
        return m;
    }

    private static YamlMappingNode MatcherNode(Matcher x)
    {
        var m = new YamlMappingNode();
        if (x.Direction is { } d) m.Add("direction", d == LinkDirection.Inbound ? "inbound" : "outbound");
        if (x.Class is { } c) m.Add("class", c == MessageClass.Request ? "request" : "response");
        if (x.Codes is { } codes) m.Add("code", OneOrFlow(codes.Select(code => MessageCodes.NameOf(code) is { } n && code != MessageCodes.Invalid ? Text(n) : Number(code))));
        if (x.Remote is { } remote) m.Add("remote", Text(remote));
        if (x.Local is { } local) m.Add("local", Text(local));
        if (x.Source is { } source) m.Add("source", Text(source));
        if (x.Destination is { } destination) m.Add("destination", Text(destination));
        if (x.KindIds is { } kinds) m.Add("kind", OneOrFlow(kinds.Select(k => Number(k))));
        if (x.Fields is { } fields)
            m.Add("fields", new YamlSequenceNode(fields.Select(FieldTestNode)));
        if (x.Decodable is { } decodable) m.Add("decodable", decodable ? "true" : "false");
        if (x.All is { } all) m.Add("all", new YamlSequenceNode(all.Select(a => (YamlNode)MatcherNode(a))));
        if (x.Any is { } any) m.Add("any", new YamlSequenceNode(any.Select(a => (YamlNode)MatcherNode(a))));
        if (x.Not is { } not) m.Add("not", MatcherNode(not));
        return m;
    }

    private static YamlNode Action(AdversaryAction a)
    {
        if (a.Signature is null && a is PassAction or DropAction or CloseAction { Reset: false }) return new YamlScalarNode(a.Verb);
        var p = new YamlMappingNode { Style = MappingStyle.Flow };
        switch (a)
        {
            case DelayAction d:
                p.Add("ms", Number(d.Milliseconds));
                if (d.JitterMilliseconds != 0) p.Add("jitter", Number(d.JitterMilliseconds));
                break;
            case DuplicateAction d:
                if (d.Count != 1) p.Add("count", Number(d.Count));
                break;
            case ReplayAction r:
                if (r.AfterMessages is { } n) p.Add("after_messages", Number(n));
                if (r.AfterMilliseconds is { } ms) p.Add("after_ms", Number(ms));
                if (r.To is { } to) p.Add("to", Text(to));
                if (r.Count != 1) p.Add("count", Number(r.Count));
                break;
            case MutateAction mu:
                p.Add("path", Text(mu.Path));
                p.Add("op", mu.Op.ToString().ToLowerInvariant());
                if (mu.Value is { } v) p.Add("value", Text(v));
                if (mu.Offset is { } off) p.Add("offset", Number(off));
                if (mu.Count is { } cnt) p.Add("count", Number(cnt));
                break;
            case SpliceAction s:
                p.Add("where", s.Where.ToString().ToLowerInvariant());
                if (s.Path is { } path) p.Add("path", Text(path));
                p.Add("hex", Text(s.Bytes.ToHex()));
                if (s.Where == SpliceWhere.At)
                {
                    p.Add("offset", Number(s.Offset));
                    if (s.Delete != 0) p.Add("delete", Number(s.Delete));
                }
                break;
            case ForgeAction f:
                p.Add("template", ForgedMessages.Name(f.Template));
                if (f.ErrorCode is { } code) p.Add("error_code", ErrorCodes.NameOf(code) is { } en && code != ErrorCodes.Invalid ? Text(en) : Number(code));
                if (f.Info is { } info) p.Add("info", Text(info));
                if (f.Value is { } value) p.Add("value", Text(value.ToHex()));
                if (f.StorageTime is { } st) p.Add("storage_time", Number(st));
                if (f.Lifetime is { } lt) p.Add("lifetime", Number(lt));
                if (f.Message is { } message) p.Add("message", Text(message.ToHex()));
                if (f.Send != ForgeRoute.Back) p.Add("send", "onward");
                break;
            case RedirectAction r:
                p.Add("to", Text(r.To));
                break;
            case CloseAction c:
                if (c.Reset) p.Add("reset", "true");
                break;
        }
        if (a.Signature is { } sig)
        {
            p.Add("signature", sig.Mode.ToString().ToLowerInvariant());
            if (sig.As is { } signer) p.Add("as", Text(signer));
        }
        return new YamlMappingNode { { a.Verb, p } };
    }

    private static YamlNode OneOrFlow(IEnumerable<YamlScalarNode> items)
    {
        var list = items.ToList();
        return list.Count == 1 ? list[0] : Flow(list);
    }

    private static YamlSequenceNode Flow(IEnumerable<YamlScalarNode> items) => new(items) { Style = SequenceStyle.Flow };

    private static YamlScalarNode Number<T>(T n) where T : IFormattable => new(n.ToString(null, CultureInfo.InvariantCulture));

    /// <summary>A string, quoted unless it is a plain word that cannot be read back as anything else.</summary>
    private static YamlScalarNode Text(string s) =>
        PlainWord().IsMatch(s) && s is not ("true" or "false" or "null" or "True" or "False" or "Null" or "TRUE" or "FALSE" or "NULL" or "y" or "n" or "yes" or "no" or "on" or "off")
            ? new YamlScalarNode(s)
            : new YamlScalarNode(s) { Style = ScalarStyle.DoubleQuoted };

    [GeneratedRegex("^[A-Za-z_][A-Za-z0-9_.@/-]*$")]
    private static partial Regex PlainWord();
}
