using P2psip.Messages;

namespace P2psip.Adversary;

/// <summary>
/// Field tests on the forwarding header's fixed integer fields (§6.3.2), decided from the decoded
/// header without a field map: a number compared with eq..ge, or exists / absent. Anything else
/// (a value named by its meaning, contains, the lists) is left to the map. Gives the same answer as
/// the map would (MessageViewTests check it over the corpus).
/// </summary>
internal static class HeaderFieldTests
{
    /// <summary>True when the test could be decided here, with the answer in <paramref name="holds"/>.</summary>
    public static bool TryDecide(FieldTest test, ReloadMessage message, int messageLength, out bool holds)
    {
        holds = false;
        ulong? value = test.Path switch
        {
            "forwarding_header.overlay" => message.Header.Overlay,
            "forwarding_header.configuration_sequence" => message.Header.ConfigurationSequence,
            "forwarding_header.ttl" => message.Header.Ttl,
            "forwarding_header.fragment" => message.Header.Fragment,
            "forwarding_header.length" => (ulong)messageLength,
            "forwarding_header.transaction_id" => message.Header.TransactionId,
            "forwarding_header.max_response_length" => message.Header.MaxResponseLength,
            _ => null,
        };
        if (value is not { } field) return false;
        switch (test.Op)
        {
            case CompareOp.Exists: holds = true; return true;
            case CompareOp.Absent: holds = false; return true;
            case CompareOp.Contains: return false;
        }
        if (!FieldValues.TryNumber(test.Value ?? "", out var number)) return false;
        holds = MatcherEvaluator.Ordered(test.Op, field.CompareTo(number));
        return true;
    }
}
