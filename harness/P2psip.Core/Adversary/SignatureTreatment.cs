namespace P2psip.Adversary;

/// <summary>What happens to a message's signature (§6.3.4) when an action changes, repeats or forges it.</summary>
public enum SignatureMode
{
    /// <summary>The original signature stays: a changed message no longer verifies (UN-2c).</summary>
    Keep,
    /// <summary>The signature is replaced by none (identity type none, empty value).</summary>
    Strip,
    /// <summary>Signed again over the new bytes by a named harness identity, to get past signature checks.</summary>
    Resign,
}

/// <summary>A signature mode and, for <see cref="SignatureMode.Resign"/>, the identity that signs.</summary>
public sealed record SignatureTreatment(SignatureMode Mode, string? As = null)
{
    public static SignatureTreatment Keep { get; } = new(SignatureMode.Keep);
    public static SignatureTreatment Strip { get; } = new(SignatureMode.Strip);
    public static SignatureTreatment ResignAs(string identity) => new(SignatureMode.Resign, identity);

    public override string ToString() => Mode == SignatureMode.Resign ? $"resign as {As}" : Mode.ToString().ToLowerInvariant();
}
