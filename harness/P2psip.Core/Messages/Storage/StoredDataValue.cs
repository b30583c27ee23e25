using P2psip.Wire;

namespace P2psip.Messages.Storage;

/// <summary>
/// One stored value, shaped by the data model of its Kind (§7.2), which is not on the wire but
/// comes from the Kind's definition (<see cref="KindRegistry"/>):
/// <code>
///   struct {
///     select (DataModel) {
///       case single_value: DataValue       single_value_entry;
///       case array:        ArrayEntry      array_entry;
///       case dictionary:   DictionaryEntry dictionary_entry;
///       /* This structure may be extended */
///     };
///   } StoredDataValue;
///   struct { uint32 index; DataValue value; } ArrayEntry;                      // §7.2.2
///   typedef opaque DictionaryKey&lt;0..2^16-1&gt;;
///   struct { DictionaryKey key; DataValue value; } DictionaryEntry;         // §7.2.3
/// </code>
/// </summary>
public abstract record StoredDataValue
{
    internal const string Rfc = "7.2";

    /// <summary>The data model this value is shaped for, or null when the value is kept opaque.</summary>
    public abstract DataModel? Model { get; }

    /// <summary>The DataValue inside the entry, or null when the value is kept opaque.</summary>
    public abstract DataValue? Data { get; }

    /// <summary>Writes the StoredDataValue fields (no enclosing container).</summary>
    internal abstract void WriteFields(WireWriter w);

    internal void Write(WireWriter w)
    {
        w.Begin("value");
        WriteFields(w);
        w.End();
    }

    /// <summary>Reads a StoredDataValue of a known data model.</summary>
    internal static bool TryRead(ref WireReader r, DataModel model, out StoredDataValue value)
    {
        value = null!;
        switch (model)
        {
            case DataModel.SingleValue:
                if (!DataValue.TryRead(ref r, "single_value_entry", out var single)) return r.Nest("value");
                value = new SingleValueEntry(single);
                return true;
            case DataModel.Array:
                if (!r.U32("index", ArrayEntry.Rfc, out var index))
                    return r.Nest("array_entry") || r.Nest("value");
                if (!DataValue.TryRead(ref r, "value", out var element)) return r.Nest("array_entry") || r.Nest("value");
                value = new ArrayEntry(index, element);
                return true;
            case DataModel.Dictionary:
                if (!r.Vector("key", 2, DictionaryEntry.Rfc, out var key))
                    return r.Nest("dictionary_entry") || r.Nest("value");
                if (!DataValue.TryRead(ref r, "value", out var entry)) return r.Nest("dictionary_entry") || r.Nest("value");
                value = new DictionaryEntry(key, entry);
                return true;
            default:
                // Callers resolve unknown models to the opaque form before getting here.
                return r.Reject("value", r.Position, $"data model {(byte)model} is not one this codec reads", Rfc);
        }
    }
}

/// <summary>A single-value entry (§7.2.1): the DataValue itself.</summary>
public sealed record SingleValueEntry(DataValue Value) : StoredDataValue
{
    public override DataModel? Model => DataModel.SingleValue;
    public override DataValue? Data => Value;
    internal override void WriteFields(WireWriter w) => Value.Write(w, "single_value_entry");
    public override string ToString() => Value.ToString();
}

/// <summary>An array entry (§7.2.2). Index 0xffffffff in a Store appends (§7.4.1.1).</summary>
public sealed record ArrayEntry(uint Index, DataValue Value) : StoredDataValue
{
    internal new const string Rfc = "7.2.2";

    /// <summary>The index that appends to the end of the array in a Store (§7.4.1.1).</summary>
    public const uint Append = 0xffffffff;

    public override DataModel? Model => DataModel.Array;
    public override DataValue? Data => Value;

    internal override void WriteFields(WireWriter w)
    {
        w.Begin("array_entry");
        w.U32("index", Index);
        Value.Write(w, "value");
        w.End();
    }

    public override string ToString() => $"[{Index}] {Value}";
}

/// <summary>A dictionary entry (§7.2.3).</summary>
public sealed record DictionaryEntry(Opaque Key, DataValue Value) : StoredDataValue
{
    internal new const string Rfc = "7.2.3";

    public override DataModel? Model => DataModel.Dictionary;
    public override DataValue? Data => Value;

    internal override void WriteFields(WireWriter w)
    {
        w.Begin("dictionary_entry");
        w.Vector("key", 2, Key.Span);
        Value.Write(w, "value");
        w.End();
    }

    public override string ToString() => $"{{{Key}}} {Value}";
}

/// <summary>
/// The value of a Kind whose data model the decoder does not know (§7.4.1.1: the Kind is not in
/// <see cref="KindRegistry"/>). Without the model the value's own length is unknown, so the bytes
/// after lifetime — value and signature together — are kept whole, bounded by StoredData's length.
/// </summary>
public sealed record UninterpretedValue(Opaque Bytes) : StoredDataValue
{
    public override DataModel? Model => null;
    public override DataValue? Data => null;
    internal override void WriteFields(WireWriter w) => w.Bytes("bytes", Bytes.Span);
    public override string ToString() => $"uninterpreted {Bytes}";
}
