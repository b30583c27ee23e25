using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using P2psip.Links;
using P2psip.Messages;
using P2psip.Wire;

namespace P2psip.Adversary;

/// <summary>
/// Turns a schema-valid scenario document (as JSON) into the model, checking what the schema
/// cannot: message-code and error names, references to identities and nodes, each action's
/// required parameters. A problem throws <see cref="Problem"/> with the JSON pointer of its field.
/// </summary>
internal static class ScenarioReader
{
    public sealed class Problem(string pointer, string message) : Exception(message)
    {
        public string Pointer { get; } = pointer;
    }

    public static Scenario Read(JsonObject root)
    {
        var identities = Array("/identities", root["identities"]).Select((n, i) => ReadIdentity(Obj($"/identities/{i}", n), $"/identities/{i}")).ToArray();
        var nodes = root["nodes"] is JsonObject nodeMap
            ? nodeMap.Select(kv => new ScenarioNode(kv.Key, Hex($"/nodes/{Escape(kv.Key)}", kv.Value))).ToArray()
            : [];
        var scenario = new Scenario(Str("/name", root["name"])!)
        {
            Description = Str("/description", root["description"]),
            Seed = root["seed"] is { } seed ? ULong("/seed", seed) : null,
            Identities = identities,
            Nodes = nodes,
            Rules = Array("/rules", root["rules"]).Select((n, i) => ReadRule(Obj($"/rules/{i}", n), $"/rules/{i}")).ToArray(),
            Responders = Array("/responders", root["responders"]).Select((n, i) => Hex($"/responders/{i}", n)).ToArray(),
            Steps = Array("/steps", root["steps"]).Select((n, i) => ReadStep(Obj($"/steps/{i}", n), $"/steps/{i}")).ToArray(),
        };
        CheckReferences(scenario);
        return scenario;
    }

    private static ScenarioIdentity ReadIdentity(JsonObject o, string at)
    {
        var identity = new ScenarioIdentity(Str(at + "/name", o["name"])!)
        {
            KeyFile = Str(at + "/key", o["key"]),
            CertificateFile = Str(at + "/cert", o["cert"]),
            User = Str(at + "/user", o["user"]),
            NodeIds = Array(at + "/node_ids", o["node_ids"]).Select((n, i) => Hex($"{at}/node_ids/{i}", n)).ToArray(),
            Issuer = Str(at + "/issuer", o["issuer"]) switch { "foreign" => IdentityIssuer.Foreign, "self-signed" => IdentityIssuer.SelfSigned, _ => IdentityIssuer.Lab },
            Expired = o["expired"] is { } e && e.GetValue<bool>(),
        };
        if ((identity.KeyFile is null) != (identity.CertificateFile is null))
            throw new Problem(at + (identity.KeyFile is null ? "/cert" : "/key"), "key and cert go together");
        if (identity.FromFiles && (o["issuer"] is not null || o["node_ids"] is not null || o["expired"] is not null))
            throw new Problem(at + "/key", "an identity from files takes no issuer, node_ids or expired");
        return identity;
    }

    private static ScenarioStep ReadStep(JsonObject o, string at)
    {
        var send = Obj(at + "/send", o["send"]);
        Opaque? bytes = send["hex"] is { } hex ? (Opaque?)Hex(at + "/send/hex", hex) : null;
        ushort? code = send["code"] is { } c ? MessageCode(at + "/send/code", c) : null;
        if ((bytes is null) == (code is null))
            throw new Problem(at + "/send", bytes is null ? "a step sends hex (captured bytes) or code (a template)" : "give hex or code, not both");
        if (code is { } templateCode && StepTemplates.Body(templateCode) is null)
            throw new Problem(at + "/send/code", $"no template for {MessageCodes.NameOf(templateCode) ?? templateCode.ToString(CultureInfo.InvariantCulture)}; give the message as hex");
        var fields = Array(at + "/send/fields", send["fields"]).Select((n, i) =>
        {
            var f = Obj($"{at}/send/fields/{i}", n);
            var path = Str($"{at}/send/fields/{i}/path", f["path"])!;
            var value = Scalar($"{at}/send/fields/{i}/value", f["value"])!;
            if (!FieldValues.TryNumber(value, out _) && !NodeResolver.TryHex(value, out _))
                throw new Problem($"{at}/send/fields/{i}/value", "expected a number (decimal or 0x hex) or hex bytes");
            return new StepField(path, value);
        }).ToArray();
        ReplayRewrites rewrites = ReplayRewrites.All;
        if (o["rewrite"] is { } rw)
        {
            rewrites = ReplayRewrites.None;
            foreach (var (itemAt, item) in OneOrMany(at + "/rewrite", rw))
            {
                try { rewrites |= ReplayRewriteNames.Parse(Str(itemAt, item)!); }
                catch (FormatException bad) { throw new Problem(itemAt, bad.Message); }
            }
        }
        return new ScenarioStep(new StepMessage { Bytes = bytes, Code = code, Fields = fields })
        {
            Name = Str(at + "/name", o["name"]),
            From = Str(at + "/from", o["from"]),
            Rewrites = rewrites,
            Expect = o["expect"] is { } e ? ReadExpectation(Obj(at + "/expect", e), at + "/expect") : null,
        };
    }

    private static StepExpectation ReadExpectation(JsonObject o, string at)
    {
        var answer = StepAnswer.Unspecified;
        ushort? code = null;
        if (o["answer"] is { } a)
        {
            var word = Scalar(at + "/answer", a);
            if (word == "none") answer = StepAnswer.None;
            else if (word == "any") answer = StepAnswer.Some;
            else
            {
                code = MessageCode(at + "/answer", a);
                answer = StepAnswer.Some;
            }
        }
        ushort? error = o["error"] is { } err ? ErrorCode(at + "/error", err) : null;
        Opaque? bytes = o["hex"] is { } hex ? (Opaque?)Hex(at + "/hex", hex) : null;
        var fields = Array(at + "/fields", o["fields"]).Select((n, i) => ReadFieldTest(Obj($"{at}/fields/{i}", n), $"{at}/fields/{i}")).ToArray();
        if (answer == StepAnswer.None && (error is not null || bytes is not null || fields.Length > 0))
            throw new Problem(at + "/answer", "answer: none takes no error, hex or fields");
        if (error is not null)
        {
            if (code is { } other && other != MessageCodes.Error)
                throw new Problem(at + "/error", $"an error code goes with answer: error, not {MessageCodes.NameOf(other) ?? other.ToString(CultureInfo.InvariantCulture)}");
            code = MessageCodes.Error;
        }
        // Anything said about the answer means there must be one.
        if (bytes is not null || fields.Length > 0 || code is not null) answer = StepAnswer.Some;
        return new StepExpectation
        {
            Answer = answer,
            Code = code,
            ErrorCode = error,
            Bytes = bytes,
            Fields = fields,
            Liveness = Str(at + "/liveness", o["liveness"]) switch { "alive" => StepLiveness.Alive, "lost" => StepLiveness.Lost, _ => null },
        };
    }

    private static Rule ReadRule(JsonObject o, string at) =>
        new(o["match"] is { } m ? ReadMatcher(Obj(at + "/match", m), at + "/match") : Matcher.Everything,
            Array(at + "/actions", o["actions"]).Select((n, i) => ReadAction(n, $"{at}/actions/{i}")).ToArray())
        {
            Name = Str(at + "/name", o["name"]),
            Nth = Long(at + "/nth", o["nth"]),
            Every = Long(at + "/every", o["every"]),
            After = Long(at + "/after", o["after"]),
            Limit = Long(at + "/limit", o["limit"]),
            Probability = o["probability"] is { } p ? double.Parse(p.ToJsonString(), NumberStyles.Float, CultureInfo.InvariantCulture) : null,
        };

    private static Matcher ReadMatcher(JsonObject o, string at) => new()
    {
        Direction = Str(at + "/direction", o["direction"]) switch { "inbound" => LinkDirection.Inbound, "outbound" => LinkDirection.Outbound, _ => null },
        Class = Str(at + "/class", o["class"]) switch { "request" => MessageClass.Request, "response" => MessageClass.Response, _ => null },
        Codes = o["code"] is { } code ? new ValueList<ushort>(OneOrMany(at + "/code", code).Select(x => MessageCode(x.At, x.Node)).ToArray()) : null,
        Remote = Str(at + "/remote", o["remote"]),
        Local = Str(at + "/local", o["local"]),
        Source = Str(at + "/source", o["source"]),
        Destination = Str(at + "/destination", o["destination"]),
        KindIds = o["kind"] is { } kind ? new ValueList<uint>(OneOrMany(at + "/kind", kind).Select(x => (uint)ULong(x.At, x.Node)).ToArray()) : null,
        Fields = o["fields"] is { } fields ? new ValueList<FieldTest>(Array(at + "/fields", fields).Select((n, i) => ReadFieldTest(Obj($"{at}/fields/{i}", n), $"{at}/fields/{i}")).ToArray()) : null,
        Decodable = o["decodable"]?.GetValue<bool>(),
        All = o["all"] is { } all ? new ValueList<Matcher>(Array(at + "/all", all).Select((n, i) => ReadMatcher(Obj($"{at}/all/{i}", n), $"{at}/all/{i}")).ToArray()) : null,
        Any = o["any"] is { } any ? new ValueList<Matcher>(Array(at + "/any", any).Select((n, i) => ReadMatcher(Obj($"{at}/any/{i}", n), $"{at}/any/{i}")).ToArray()) : null,
        Not = o["not"] is { } not ? ReadMatcher(Obj(at + "/not", not), at + "/not") : null,
    };

    private static FieldTest ReadFieldTest(JsonObject o, string at)
    {
        var op = Str(at + "/op", o["op"]) is { } name ? Enum.Parse<CompareOp>(name, ignoreCase: true) : CompareOp.Eq;
        var value = Scalar(at + "/value", o["value"]);
        if (op is CompareOp.Exists or CompareOp.Absent ? value is not null : value is null)
            throw new Problem(at + (value is null ? "" : "/value"), op is CompareOp.Exists or CompareOp.Absent ? $"{Lower(op)} takes no value" : $"{Lower(op)} needs a value");
        return new FieldTest(Str(at + "/path", o["path"])!, op, value);
    }

    private static AdversaryAction ReadAction(JsonNode? node, string at)
    {
        if (node is JsonValue word)
            return word.GetValue<string>() switch
            {
                "pass" => PassAction.Instance,
                "drop" => DropAction.Instance,
                _ => new CloseAction(),
            };
        var (verb, value) = Obj(at, node).Single();
        var p = at + "/" + verb;
        var o = Obj(p, value);
        var signature = ReadSignature(o, p);
        AdversaryAction action = verb switch
        {
            "pass" => PassAction.Instance,
            "drop" => DropAction.Instance,
            "delay" => new DelayAction((int)Long(p + "/ms", o["ms"])!, (int)(Long(p + "/jitter", o["jitter"]) ?? 0)),
            "duplicate" => new DuplicateAction((int)(Long(p + "/count", o["count"]) ?? 1)),
            "replay" => ReadReplay(o, p),
            "mutate" => ReadMutate(o, p),
            "splice" => ReadSplice(o, p),
            "forge" => ReadForge(o, p),
            "redirect" => new RedirectAction(Str(p + "/to", o["to"])!),
            _ => new CloseAction(o["reset"]?.GetValue<bool>() ?? false),
        };
        return signature is null ? action : action with { Signature = signature };
    }

    private static SignatureTreatment? ReadSignature(JsonObject o, string at)
    {
        var mode = Str(at + "/signature", o["signature"]);
        var signer = Str(at + "/as", o["as"]);
        if (mode is null)
        {
            if (signer is not null) throw new Problem(at + "/as", "'as' goes with signature: resign");
            return null;
        }
        if (mode == "resign" && signer is null) throw new Problem(at + "/signature", "resign needs 'as': the identity to sign as");
        if (mode != "resign" && signer is not null) throw new Problem(at + "/as", "'as' goes with signature: resign");
        return mode switch { "strip" => SignatureTreatment.Strip, "resign" => SignatureTreatment.ResignAs(signer!), _ => SignatureTreatment.Keep };
    }

    private static ReplayAction ReadReplay(JsonObject o, string at)
    {
        var messages = Long(at + "/after_messages", o["after_messages"]);
        var ms = Long(at + "/after_ms", o["after_ms"]);
        if ((messages is null) == (ms is null)) throw new Problem(at, "a replay needs exactly one of after_messages and after_ms");
        return new ReplayAction { AfterMessages = messages, AfterMilliseconds = ms, To = Str(at + "/to", o["to"]), Count = (int)(Long(at + "/count", o["count"]) ?? 1) };
    }

    private static MutateAction ReadMutate(JsonObject o, string at)
    {
        var op = Enum.Parse<MutationOp>(Str(at + "/op", o["op"])!, ignoreCase: true);
        var value = Scalar(at + "/value", o["value"]);
        bool needsValue = op is MutationOp.Set or MutationOp.Add or MutationOp.Xor or MutationOp.Insert;
        if (needsValue && value is null) throw new Problem(at, $"mutate {Lower(op)} needs a value");
        if (!needsValue && value is not null) throw new Problem(at + "/value", $"mutate {Lower(op)} takes no value");
        if (value is not null && !FieldValues.TryNumber(value, out _) && !NodeResolver.TryHex(value, out _))
            throw new Problem(at + "/value", $"'{value}' is neither a number nor hex");
        if (op == MutationOp.Insert && !NodeResolver.TryHex(value!, out _)) throw new Problem(at + "/value", "insert takes hex bytes");
        if (op == MutationOp.Truncate && o["count"] is null) throw new Problem(at, "truncate needs count: the bytes to keep");
        return new MutateAction(Str(at + "/path", o["path"])!, op, value)
        {
            Offset = (int?)Long(at + "/offset", o["offset"]),
            Count = (int?)Long(at + "/count", o["count"]),
        };
    }

    private static SpliceAction ReadSplice(JsonObject o, string at)
    {
        var where = Enum.Parse<SpliceWhere>(Str(at + "/where", o["where"])!, ignoreCase: true);
        var path = Str(at + "/path", o["path"]);
        if (where == SpliceWhere.At ? path is not null : path is null)
            throw new Problem(at + (path is null ? "" : "/path"), where == SpliceWhere.At ? "splice at an offset takes no path" : $"splice {Lower(where)} needs a path");
        if (where != SpliceWhere.At && (o["offset"] is not null || o["delete"] is not null))
            throw new Problem(at + "/offset", "offset and delete go with where: at");
        return new SpliceAction(where, Hex(at + "/hex", o["hex"]))
        {
            Path = path,
            Offset = (int)(Long(at + "/offset", o["offset"]) ?? 0),
            Delete = (int)(Long(at + "/delete", o["delete"]) ?? 0),
        };
    }

    private static ForgeAction ReadForge(JsonObject o, string at)
    {
        var template = Str(at + "/template", o["template"]) switch { "error" => ForgeTemplate.Error, "fetch_ans" => ForgeTemplate.FetchAns, _ => ForgeTemplate.Message };
        if (template == ForgeTemplate.Message && o["message"] is null) throw new Problem(at, "template message needs message: the whole message in hex");
        if (template != ForgeTemplate.Message && o["message"] is not null) throw new Problem(at + "/message", "message goes with template: message");
        if (template != ForgeTemplate.Error && (o["error_code"] is not null || o["info"] is not null))
            throw new Problem(at + (o["error_code"] is null ? "/info" : "/error_code"), "error_code and info go with template: error");
        if (template != ForgeTemplate.FetchAns && (o["value"] is not null || o["storage_time"] is not null || o["lifetime"] is not null))
            throw new Problem(at + "/value", "value, storage_time and lifetime go with template: fetch_ans");
        return new ForgeAction(template)
        {
            ErrorCode = o["error_code"] is { } code ? ErrorCode(at + "/error_code", code) : null,
            Info = Str(at + "/info", o["info"]),
            Value = o["value"] is { } v ? (Opaque?)Hex(at + "/value", v) : null,
            StorageTime = o["storage_time"] is { } st ? ULong(at + "/storage_time", st) : null,
            Lifetime = o["lifetime"] is { } lt ? (uint)ULong(at + "/lifetime", lt) : null,
            Message = o["message"] is { } m ? (Opaque?)Hex(at + "/message", m) : null,
            Send = Str(at + "/send", o["send"]) == "onward" ? ForgeRoute.Onward : ForgeRoute.Back,
        };
    }

    /// <summary>Every identity a rule signs as is declared; every node a rule names resolves.</summary>
    private static void CheckReferences(Scenario s)
    {
        var resolver = new NodeResolver(s);
        var identityNames = s.Identities.Select(i => i.Name).ToHashSet(StringComparer.Ordinal);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (int i = 0; i < s.Identities.Count; i++)
            if (!seen.Add(s.Identities[i].Name)) throw new Problem($"/identities/{i}/name", $"identity '{s.Identities[i].Name}' is declared twice");
        for (int i = 0; i < s.Steps.Count; i++)
            if (s.Steps[i].From is { } from && !identityNames.Contains(from))
                throw new Problem($"/steps/{i}/from", $"no identity named '{from}' (declare it under identities)");
        for (int r = 0; r < s.Rules.Count; r++)
        {
            CheckMatcherNodes(s.Rules[r].Match, $"/rules/{r}/match", resolver, identityNames);
            for (int a = 0; a < s.Rules[r].Actions.Count; a++)
            {
                var action = s.Rules[r].Actions[a];
                var at = $"/rules/{r}/actions/{a}/{action.Verb}";
                if (action.Signature is { Mode: SignatureMode.Resign, As: { } signer } && !identityNames.Contains(signer))
                    throw new Problem(at + "/as", $"no identity named '{signer}' (declare it under identities)");
                var to = action switch { RedirectAction x => x.To, ReplayAction { To: { } t } => t, _ => null };
                if (to is not null && !identityNames.Contains(to) && !resolver.TryResolve(to, out _))
                    throw new Problem(at + "/to", $"'{to}' names no node, identity or hex Node-ID");
            }
        }
    }

    private static void CheckMatcherNodes(Matcher m, string at, NodeResolver resolver, HashSet<string> identities)
    {
        foreach (var (key, value) in new[] { ("remote", m.Remote), ("local", m.Local), ("source", m.Source), ("destination", m.Destination) })
            if (value is not null && !identities.Contains(value) && !resolver.TryResolve(value, out _))
                throw new Problem($"{at}/{key}", $"'{value}' names no node, identity or hex id");
        if (m.All is { } all) for (int i = 0; i < all.Count; i++) CheckMatcherNodes(all[i], $"{at}/all/{i}", resolver, identities);
        if (m.Any is { } any) for (int i = 0; i < any.Count; i++) CheckMatcherNodes(any[i], $"{at}/any/{i}", resolver, identities);
        if (m.Not is { } not) CheckMatcherNodes(not, at + "/not", resolver, identities);
    }

    private static ushort MessageCode(string at, JsonNode? n)
    {
        var text = Scalar(at, n)!;
        if (FieldValues.TryNumber(text, out var number) && number <= ushort.MaxValue) return (ushort)number;
        for (ulong c = 0; c <= ushort.MaxValue; c++)
            if (MessageCodes.NameOf(c) == text) return (ushort)c;
        throw new Problem(at, $"'{text}' is not a message code (store_req, fetch_ans, error, ... or a number)");
    }

    private static ushort ErrorCode(string at, JsonNode? n)
    {
        var text = Scalar(at, n)!;
        if (FieldValues.TryNumber(text, out var number) && number is > 0 and <= ushort.MaxValue) return (ushort)number;
        foreach (var c in ErrorCodes.Defined)
            if (string.Equals(ErrorCodes.NameOf(c), text, StringComparison.OrdinalIgnoreCase)) return c;
        throw new Problem(at, $"'{text}' is not an error code (Error_Not_Found, Error_Forbidden, ... or a number)");
    }

    private static IEnumerable<(string At, JsonNode? Node)> OneOrMany(string at, JsonNode node) =>
        node is JsonArray a ? a.Select((n, i) => ($"{at}/{i}", n)) : [(at, node)];

    private static JsonObject Obj(string at, JsonNode? n) => n as JsonObject ?? throw new Problem(at, "expected a mapping");
    private static IEnumerable<JsonNode?> Array(string at, JsonNode? n) => n is null ? [] : n as JsonArray ?? throw new Problem(at, "expected a list");
    private static string? Str(string at, JsonNode? n) => n is null ? null : n.GetValueKind() == JsonValueKind.String ? n.GetValue<string>() : throw new Problem(at, "expected text");
    private static string? Scalar(string at, JsonNode? n) => n switch
    {
        null => null,
        JsonValue v when v.GetValueKind() == JsonValueKind.String => v.GetValue<string>(),
        JsonValue v when v.GetValueKind() == JsonValueKind.Number => v.ToJsonString(),
        _ => throw new Problem(at, "expected a number or text"),
    };
    private static long? Long(string at, JsonNode? n) => n is null ? null : n.GetValueKind() == JsonValueKind.Number && long.TryParse(n.ToJsonString(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var v) ? v : throw new Problem(at, "expected a whole number");
    private static ulong ULong(string at, JsonNode? n) => n is not null && n.GetValueKind() == JsonValueKind.Number && ulong.TryParse(n.ToJsonString(), NumberStyles.None, CultureInfo.InvariantCulture, out var v) ? v : throw new Problem(at, "expected a whole number, 0 or more");
    private static Opaque Hex(string at, JsonNode? n) => NodeResolver.TryHex(Str(at, n) ?? "", out var bytes) || Str(at, n) is "" or "0x" ? bytes : throw new Problem(at, "expected hex bytes");
    private static string Escape(string key) => key.Replace("~", "~0", StringComparison.Ordinal).Replace("/", "~1", StringComparison.Ordinal);
    private static string Lower<T>(T value) where T : struct, Enum => value.ToString().ToLowerInvariant();
}
