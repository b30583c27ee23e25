using P2psip.Wire;

namespace P2psip.Messages.Storage;

/// <summary>
/// The stored bytes and whether they exist (§7.2); exists = False with an empty value is how a
/// value is removed (§7.4.1.3).
/// <code>
///   struct { Boolean exists; opaque value&lt;0..2^32-1&gt;; } DataValue;
/// </code>
/// </summary>
public sealed record DataValue(bool Exists, Opaque Value)
{
    internal const string Rfc = "7.2";

    /// <summary>The "nonexistent" value a store uses to remove data (§7.4.1.3).</summary>
    public static DataValue Nonexistent { get; } = new(false, Opaque.Empty);

    public static DataValue Of(Opaque value) => new(true, value);

    internal void Write(WireWriter w, string name)
    {
        w.Begin(name);
        w.Boolean("exists", Exists);
        w.Vector("value", 4, Value.Span);
        w.End();
    }

    internal static bool TryRead(ref WireReader r, string name, out DataValue value)
    {
        value = null!;
        if (!r.Boolean("exists", Rfc, out var exists) || !r.Vector("value", 4, Rfc, out var bytes)) return r.Nest(name);
        value = new DataValue(exists, bytes);
        return true;
    }

    public override string ToString() => Exists ? $"exists {Value}" : $"nonexistent {Value}";
}
