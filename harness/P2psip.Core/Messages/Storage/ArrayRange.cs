using P2psip.Wire;

namespace P2psip.Messages.Storage;

/// <summary>
/// A range of array indices in a Fetch or Stat (§7.4.2.1):
/// <code>  struct { int32 first; int32 last; } ArrayRange;</code>
/// The RFC types the fields int32 but uses 0xffffffff for "the final element", so they are kept
/// as the unsigned 32-bit values on the wire. first &lt;= last and non-overlap are rules for the
/// responding peer, not for the codec, so the fuzzer can send ranges that break them.
/// </summary>
public sealed record ArrayRange(uint First, uint Last)
{
    internal const string Rfc = "7.4.2.1";

    /// <summary>The index that names the final element (§7.4.2.1).</summary>
    public const uint Final = 0xffffffff;

    /// <summary>Every element of the array.</summary>
    public static ArrayRange All { get; } = new(0, Final);

    internal const int Size = 8;

    internal void Write(WireWriter w)
    {
        w.U32("first", First);
        w.U32("last", Last);
    }

    internal static bool TryRead(ref WireReader r, out ArrayRange value)
    {
        value = null!;
        if (!r.U32("first", Rfc, out var first) || !r.U32("last", Rfc, out var last)) return false;
        value = new ArrayRange(first, last);
        return true;
    }

    public override string ToString() => $"{First}..{(Last == Final ? "final" : Last.ToString(System.Globalization.CultureInfo.InvariantCulture))}";
}
