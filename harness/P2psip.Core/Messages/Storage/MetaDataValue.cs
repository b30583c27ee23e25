using P2psip.Wire;

namespace P2psip.Messages.Storage;

/// <summary>
/// The metadata counterpart of <see cref="StoredDataValue"/> (§7.4.3.2): each arm's DataValue is
/// replaced by a <see cref="MetaData"/>.
/// <code>
///   struct { uint32 index; MetaData value; } ArrayEntryMeta;
///   struct { DictionaryKey key; MetaData value; } DictionaryEntryMeta;
///   struct {
///     select (DataModel) {
///       case single_value: MetaData            single_value_entry;
///       case array:        ArrayEntryMeta      array_entry;
///       case dictionary:   DictionaryEntryMeta dictionary_entry;
///       /* This structure may be extended */
///     };
///   } MetaDataValue;
/// </code>
/// </summary>
public abstract record MetaDataValue
{
    internal const string Rfc = "7.4.3.2";

    public abstract DataModel? Model { get; }

    internal abstract void WriteFields(WireWriter w);

    internal void Write(WireWriter w)
    {
        w.Begin("metadata");
        WriteFields(w);
        w.End();
    }

    internal static bool TryRead(ref WireReader r, DataModel model, out MetaDataValue value)
    {
        value = null!;
        switch (model)
        {
            case DataModel.SingleValue:
                if (!MetaData.TryRead(ref r, "single_value_entry", out var single)) return r.Nest("metadata");
                value = new SingleValueEntryMeta(single);
                return true;
            case DataModel.Array:
                if (!r.U32("index", Rfc, out var index) || !MetaData.TryRead(ref r, "value", out var element))
                    return r.Nest("array_entry") || r.Nest("metadata");
                value = new ArrayEntryMeta(index, element);
                return true;
            case DataModel.Dictionary:
                if (!r.Vector("key", 2, Rfc, out var key) || !MetaData.TryRead(ref r, "value", out var entry))
                    return r.Nest("dictionary_entry") || r.Nest("metadata");
                value = new DictionaryEntryMeta(key, entry);
                return true;
            default:
                return r.Reject("metadata", r.Position, $"data model {(byte)model} is not one this codec reads", Rfc);
        }
    }
}

/// <summary>The metadata of a single value.</summary>
public sealed record SingleValueEntryMeta(MetaData Value) : MetaDataValue
{
    public override DataModel? Model => DataModel.SingleValue;
    internal override void WriteFields(WireWriter w) => Value.Write(w, "single_value_entry");
    public override string ToString() => Value.ToString();
}

/// <summary>The metadata of an array entry.</summary>
public sealed record ArrayEntryMeta(uint Index, MetaData Value) : MetaDataValue
{
    public override DataModel? Model => DataModel.Array;

    internal override void WriteFields(WireWriter w)
    {
        w.Begin("array_entry");
        w.U32("index", Index);
        Value.Write(w, "value");
        w.End();
    }

    public override string ToString() => $"[{Index}] {Value}";
}

/// <summary>The metadata of a dictionary entry.</summary>
public sealed record DictionaryEntryMeta(Opaque Key, MetaData Value) : MetaDataValue
{
    public override DataModel? Model => DataModel.Dictionary;

    internal override void WriteFields(WireWriter w)
    {
        w.Begin("dictionary_entry");
        w.Vector("key", 2, Key.Span);
        Value.Write(w, "value");
        w.End();
    }

    public override string ToString() => $"{{{Key}}} {Value}";
}

/// <summary>The metadata of a Kind whose data model is unknown, kept byte for byte.</summary>
public sealed record UninterpretedMeta(Opaque Bytes) : MetaDataValue
{
    public override DataModel? Model => null;
    internal override void WriteFields(WireWriter w) => w.Bytes("bytes", Bytes.Span);
    public override string ToString() => $"uninterpreted {Bytes}";
}
