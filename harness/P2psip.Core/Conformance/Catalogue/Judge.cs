using P2psip.Conformance.Probe;
using P2psip.Messages;

namespace P2psip.Conformance.Catalogue;

/// <summary>
/// The verdict rules the cases share, so that "refused" means the same in every case: the exact
/// error the RFC names is a pass; another error, closing the link or silence keeps the intent (the
/// request had no effect) and is a lenient pass; a success answer is a failure.
/// </summary>
internal static class Judge
{
    /// <summary>The RFC names <paramref name="expected"/> for this refusal.</summary>
    public static Outcome RefusedWith(ProbeReply reply, ushort expected, string what)
    {
        var name = ErrorCodes.NameOf(expected) ?? $"error {expected}";
        return reply.Kind switch
        {
            ProbeReplyKind.Answer when reply.ErrorCode == expected => Outcome.Pass($"{what}: refused with {name}"),
            ProbeReplyKind.Answer when reply.ErrorCode is not null => Outcome.Lenient($"{what}: refused, but with {reply} instead of {name}"),
            ProbeReplyKind.Answer => Outcome.Fail($"{what}: accepted ({reply}); expected {name}"),
            ProbeReplyKind.Closed => Outcome.Lenient($"{what}: the SUT closed the link instead of answering {name}"),
            ProbeReplyKind.Timeout => Outcome.Lenient($"{what}: dropped silently instead of answering {name}"),
            ProbeReplyKind.WrongTransactionId => Outcome.Fail($"{what}: {reply.Detail} (PC-4)"),
            _ => Outcome.Lenient($"{what}: answered with bytes that do not decode ({reply.Detail}) instead of {name}"),
        };
    }

    /// <summary>The RFC says the message is dropped or refused: any refusal passes, only a success answer fails.</summary>
    public static Outcome DroppedOrRefused(ProbeReply reply, string what) => reply.Kind switch
    {
        ProbeReplyKind.Answer when reply.ErrorCode is not null => Outcome.Pass($"{what}: refused with {reply}"),
        ProbeReplyKind.Answer => Outcome.Fail($"{what}: answered as if valid ({reply})"),
        ProbeReplyKind.Closed => Outcome.Pass($"{what}: the SUT closed the link"),
        ProbeReplyKind.Timeout => Outcome.Pass($"{what}: dropped ({reply.Detail})"),
        ProbeReplyKind.WrongTransactionId => Outcome.Pass($"{what}: not answered ({reply.Detail})"),
        _ => Outcome.Pass($"{what}: not answered as valid ({reply.Detail})"),
    };

    /// <summary>The request is valid and must get an answer of type <typeparamref name="T"/>.</summary>
    public static Outcome AnsweredWith<T>(ProbeReply reply, string what) where T : MessageBody => reply.Kind switch
    {
        // §6.3.4: every message is signed; an unsigned answer is a deviation the requester must drop.
        ProbeReplyKind.Answer when reply.Message!.Body is T && IsUnsigned(reply.Message) =>
            Outcome.Fail($"{what}: answered with {reply}, but the answer is unsigned (§6.3.4: every message carries a signature the receiver verifies)"),
        ProbeReplyKind.Answer when reply.Message!.Body is T => Outcome.Pass($"{what}: answered with {reply}"),
        ProbeReplyKind.Answer => Outcome.Fail($"{what}: expected {typeof(T).Name}, got {reply}"),
        ProbeReplyKind.WrongTransactionId => Outcome.Fail($"{what}: {reply.Detail} (PC-4)"),
        _ => Outcome.Fail($"{what}: expected {typeof(T).Name}, got {reply}"),
    };

    /// <summary>An answer whose signature is empty (identity none, or no algorithm): nothing a receiver could verify.</summary>
    public static bool IsUnsigned(ReloadMessage message) =>
        message.Security.Signature is var s && (s.Identity.IdentityType == Messages.Security.SignerIdentity.NoneType || s.Value.Length == 0
            || s.Algorithm.Signature == Messages.Security.SignatureAndHashAlgorithm.SignatureAnonymous);

    /// <summary>Whether a valid request got the answer type expected (for setup steps: a false makes the case inconclusive).</summary>
    public static bool Is<T>(ProbeReply reply) where T : MessageBody => reply.Kind == ProbeReplyKind.Answer && reply.Message!.Body is T;
}
