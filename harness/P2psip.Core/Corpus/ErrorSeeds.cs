using P2psip.Messages;

namespace P2psip.Corpus;

/// <summary>Error response bodies for the seed corpus (§6.3.3.1; codes in §14.9).</summary>
public static class ErrorSeeds
{
    public static IEnumerable<(string Name, MessageBody Body)> All()
    {
        // One seed is enough for the fuzzer: the codes differ only in a 16-bit value it mutates anyway.
        yield return ("error", ErrorResponse.Of(ErrorCodes.NotFound, "no data stored under that Resource-ID"));
    }
}
