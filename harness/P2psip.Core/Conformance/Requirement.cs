namespace P2psip.Conformance;

/// <summary>The requirement level of the clause a case checks (RFC 2119 words as RFC 6940 uses them).</summary>
public enum Requirement
{
    Must,
    Should,
    May,
}

public static class RequirementNames
{
    public static string Word(this Requirement requirement) => requirement switch
    {
        Requirement.Must => "MUST",
        Requirement.Should => "SHOULD",
        Requirement.May => "MAY",
        _ => throw new ArgumentOutOfRangeException(nameof(requirement)),
    };
}
