using P2psip.Wire;

namespace P2psip.Messages.Storage;

/// <summary>
/// Which values of one Kind a Fetch or Stat asks for (§7.4.2.1):
/// <code>
///   struct {
///     KindId kind;
///     uint64 generation;
///     uint16 length;
///     select (DataModel) {
///       case single_value: ;                                   /* Empty */
///       case array:        ArrayRange    indices&lt;0..2^16-1&gt;;
///       case dictionary:   DictionaryKey keys&lt;0..2^16-1&gt;;
///       /* This structure may be extended */
///     } model_specifier;
///   } StoredDataSpecifier;
/// </code>
/// The data model comes from the Kind (<see cref="KindRegistry"/>); for an unknown Kind the
/// model_specifier is kept opaque, which its length allows.
/// </summary>
public sealed record StoredDataSpecifier(uint Kind, ulong Generation, ModelSpecifier ModelSpecifier)
{
    internal const string Rfc = "7.4.2.1";

    internal void Write(WireWriter w)
    {
        w.U32("kind", Kind, FieldKind.Code, KindRegistry.KindName);
        w.U64("generation", Generation);
        var length = w.Reserve("length", 2);
        w.Begin("model_specifier");
        ModelSpecifier.WriteFields(w);
        w.Fill(length, w.End());
    }

    internal static bool TryRead(ref WireReader r, out StoredDataSpecifier value)
    {
        value = null!;
        if (!r.U32("kind", Rfc, out var kind) || !r.U64("generation", Rfc, out var generation)) return false;
        int lengthAt = r.Position;
        if (!r.U16("length", Rfc, out var length)) return false;
        if (!r.Narrow("length", lengthAt, length, Rfc, out var saved)) return false;
        if (!ModelSpecifier.TryRead(ref r, KindRegistry.ModelOf(r.Options, kind), out var specifier)) return r.Nest("model_specifier");
        // The RFC defines nothing after the model-specific part: bytes left in length are an error.
        if (!r.Leave("model_specifier", saved, Rfc)) return false;
        value = new StoredDataSpecifier(kind, generation, specifier);
        return true;
    }

    /// <summary><c>StoredDataSpecifier specifiers&lt;0..2^16-1&gt;</c> of FetchReq and StatReq.</summary>
    internal static void WriteList(WireWriter w, ValueList<StoredDataSpecifier> specifiers)
    {
        w.BeginVector("specifiers", 2, isList: true);
        foreach (var specifier in specifiers)
        {
            w.BeginElement();
            specifier.Write(w);
            w.End();
        }
        w.EndVector();
    }

    internal static bool TryReadList(ref WireReader r, string rfc, out ValueList<StoredDataSpecifier> specifiers)
    {
        specifiers = ValueList<StoredDataSpecifier>.Empty;
        return r.Enter("specifiers", 2, rfc, out var saved)
            && r.List<StoredDataSpecifier>("specifiers", rfc, TryRead, out specifiers)
            && r.Leave("specifiers", saved, rfc);
    }
}

/// <summary>The model_specifier of a <see cref="StoredDataSpecifier"/> (§7.4.2.1).</summary>
public abstract record ModelSpecifier
{
    internal const string Rfc = "7.4.2.1";

    /// <summary>The model this specifier is shaped for, or null when kept opaque.</summary>
    public abstract DataModel? Model { get; }

    internal abstract void WriteFields(WireWriter w);

    internal static bool TryRead(ref WireReader r, DataModel? model, out ModelSpecifier value)
    {
        value = null!;
        switch (model)
        {
            case DataModel.SingleValue:
                value = SingleValueSpecifier.Instance;
                return true;
            case DataModel.Array:
                {
                    if (!r.Enter("indices", 2, Rfc, out var saved)) return false;
                    if (r.Remaining % ArrayRange.Size != 0)
                        return r.Reject("indices", r.Position, $"list length {r.Remaining} is not a whole number of {ArrayRange.Size}-byte ArrayRanges", Rfc);
                    if (!r.List<ArrayRange>("indices", Rfc, ArrayRange.TryRead, out var indices) || !r.Leave("indices", saved, Rfc)) return false;
                    value = new ArraySpecifier(indices);
                    return true;
                }
            case DataModel.Dictionary:
                {
                    if (!r.Enter("keys", 2, Rfc, out var saved)
                        || !r.List<Opaque>("keys", Rfc, ReadKey, out var keys)
                        || !r.Leave("keys", saved, Rfc))
                        return false;
                    value = new DictionarySpecifier(keys);
                    return true;
                }
            default:
                value = new UninterpretedSpecifier(r.Rest());
                return true;
        }
    }

    // DictionaryKey is opaque<0..2^16-1> (§7.2.3); an element's fields are its length and value.
    private static bool ReadKey(ref WireReader r, out Opaque key) => r.Vector("", 2, DictionaryEntry.Rfc, out key);
}

/// <summary>A single-value Kind: the specifier is empty.</summary>
public sealed record SingleValueSpecifier : ModelSpecifier
{
    public static SingleValueSpecifier Instance { get; } = new();
    public override DataModel? Model => DataModel.SingleValue;
    internal override void WriteFields(WireWriter w) { }
    public override string ToString() => "single value";
}

/// <summary>An array Kind: the ranges of indices asked for.</summary>
public sealed record ArraySpecifier(ValueList<ArrayRange> Indices) : ModelSpecifier
{
    public override DataModel? Model => DataModel.Array;

    internal override void WriteFields(WireWriter w)
    {
        w.BeginVector("indices", 2, isList: true);
        foreach (var range in Indices)
        {
            w.BeginElement();
            range.Write(w);
            w.End();
        }
        w.EndVector();
    }

    public override string ToString() => $"indices {Indices}";
}

/// <summary>A dictionary Kind: the keys asked for; none means every key (a wildcard fetch).</summary>
public sealed record DictionarySpecifier(ValueList<Opaque> Keys) : ModelSpecifier
{
    public override DataModel? Model => DataModel.Dictionary;

    internal override void WriteFields(WireWriter w)
    {
        w.BeginVector("keys", 2, isList: true);
        for (int i = 0; i < Keys.Count; i++) w.Vector(FieldPaths.Element(i), 2, Keys[i].Span);
        w.EndVector();
    }

    public override string ToString() => $"keys {Keys}";
}

/// <summary>The model_specifier of a Kind whose data model is unknown, kept byte for byte.</summary>
public sealed record UninterpretedSpecifier(Opaque Bytes) : ModelSpecifier
{
    public override DataModel? Model => null;
    internal override void WriteFields(WireWriter w) => w.Bytes("bytes", Bytes.Span);
    public override string ToString() => $"uninterpreted {Bytes}";
}
