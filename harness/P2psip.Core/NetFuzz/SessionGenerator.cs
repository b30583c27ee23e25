using P2psip.Conformance;
using P2psip.Conformance.Probe;
using P2psip.Messages;
using P2psip.Wire;

namespace P2psip.NetFuzz;

/// <summary>
/// Generator version 1: makes case i of a seed, from that case's own random source only. A session
/// is one to four valid messages of any method from any party, then field mutations on some of them
/// and often a sequence mutation: drop, duplicate (a retransmission, same transaction id),
/// reorder, replay later, an Update storm, Join without Attach, Leave for another Node-ID, or an
/// answer to a request never sent (§6.3.2: answers are matched by transaction id).
/// </summary>
public sealed class SessionGenerator(CertificationLab lab, SutEndpoint sut, FuzzParties parties)
{
    public const int Version = 2;

    /// <summary>The SUT the cases are made for (their destination).</summary>
    public SutEndpoint Sut => sut;

    public FuzzSession Generate(FuzzCaseId id)
    {
        var random = new Random(id.RandomSeed);
        var factory = new MessageFactory(lab, sut, random);
        var messages = new List<PlannedMessage>();
        var notes = new List<string>();
        int count = random.Next(1, 5);
        for (int i = 0; i < count; i++) messages.Add(Valid(factory, random));
        bool mutated = false;
        for (int i = 0; i < messages.Count; i++)
        {
            if (random.Next(3) == 0 && !(i == messages.Count - 1 && !mutated)) continue;
            int fields = random.Next(4) == 0 ? random.Next(2, 5) : 1;
            for (int f = 0; f < fields; f++)
            {
                if (Mutate(messages[i], random) is not { } result) continue;
                messages[i] = result.Message;
                notes.Add($"#{i} {result.Note}");
                mutated = true;
            }
        }
        if (random.Next(2) == 0 || !mutated) notes.Add(Sequence(messages, factory, random));
        return new FuzzSession(id, messages, notes);
    }

    private PlannedMessage Valid(MessageFactory factory, Random random)
    {
        int party = random.Next(parties.Count);
        var self = parties.Identities[party].NodeId;
        int pick = random.Next(FuzzTemplates.Requests.Count + 3);
        var (label, body) = pick switch
        {
            _ when pick < FuzzTemplates.Requests.Count => FuzzTemplates.Requests[pick],
            _ when pick == FuzzTemplates.Requests.Count => ("join_req (self)", FuzzTemplates.Join(self)),
            _ when pick == FuzzTemplates.Requests.Count + 1 => ("leave_req (self)", FuzzTemplates.Leave(self)),
            _ => ("update_req (self)", (MessageBody)FuzzTemplates.Update(self)),
        };
        return Plan(factory, party, label, body);
    }

    private PlannedMessage Plan(MessageFactory factory, int party, string label, MessageBody body) =>
        new(party, label, factory.Request(body, parties.Identities[party], sign: false), []);

    /// <summary>One field mutation on a copy, kept only if the message still encodes with it.</summary>
    private static (PlannedMessage Message, string Note)? Mutate(PlannedMessage message, Random random)
    {
        var map = ReloadCodec.FieldMap(message.Template, message.WireEdits());
        if (FieldMutation.Choose(map, message.TemplateBytes(), random) is not { } edit) return null;
        var mutated = message with { Edits = [.. message.Edits.Where(e => e.Path != edit.Path), edit] };
        try
        {
            mutated.TemplateBytes();
            return (mutated, edit.Note);
        }
        catch (Exception e) when (e is WireEncodeException or ArgumentException or OverflowException or InvalidOperationException)
        {
            // A value the encoder cannot write at all is not a message: this mutation is skipped.
            return null;
        }
    }

    private string Sequence(List<PlannedMessage> messages, MessageFactory factory, Random random)
    {
        int op = random.Next(8);
        int n = messages.Count;
        switch (op)
        {
            case 0 when n > 1:
            {
                int i = random.Next(n);
                messages.RemoveAt(i);
                return $"drop #{i}";
            }
            case 1:
            {
                int i = random.Next(n);
                messages.Insert(i + 1, messages[i]);
                return $"duplicate #{i}";
            }
            case 2 when n > 1:
            {
                int i = random.Next(n), j = random.Next(n);
                (messages[i], messages[j]) = (messages[j], messages[i]);
                return $"reorder #{i} <-> #{j}";
            }
            case 3:
            {
                int i = random.Next(n);
                messages.Add(messages[i]);
                return $"replay #{i} at the end";
            }
            case 4:
            {
                int party = random.Next(parties.Count), storm = random.Next(8, 33);
                for (int k = 0; k < storm; k++)
                    messages.Add(Plan(factory, party, "update_req (storm)", FuzzTemplates.Update(parties.Identities[party].NodeId, (uint)k)));
                return $"update storm x{storm} from party {party}";
            }
            case 5:
            {
                int party = random.Next(parties.Count);
                messages.Insert(0, Plan(factory, party, "join_req (no attach)", FuzzTemplates.Join(parties.Identities[party].NodeId)));
                return $"join without attach from party {party}";
            }
            case 6:
            {
                int party = random.Next(parties.Count);
                var other = random.Next(2) == 0 && sut.NodeId is { } sutId ? sutId : parties.Identities[(party + 1) % parties.Count].NodeId;
                messages.Add(Plan(factory, party, "leave_req (another node)", FuzzTemplates.Leave(other)));
                return $"leave for {other.ToHex()} from party {party}";
            }
            default:
            {
                int party = random.Next(parties.Count);
                var (label, body) = FuzzTemplates.Answers[random.Next(FuzzTemplates.Answers.Count)];
                messages.Insert(random.Next(n + 1), Plan(factory, party, label + " (never asked)", body));
                return $"{label} to a request never sent, from party {party}";
            }
        }
    }
}
