using P2psip.Wire;

namespace P2psip.NetFuzz;

public enum FuzzEditVerb
{
    Set,
    Replace,
    InsertAfter,
}

/// <summary>One field mutation of a planned message, by field path (<see cref="FieldPaths"/>), with a line saying what it did.</summary>
public sealed record FuzzEdit(FuzzEditVerb Verb, string Path, ulong Value, byte[] Bytes, string Note)
{
    public void AddTo(WireEdits edits)
    {
        switch (Verb)
        {
            case FuzzEditVerb.Set: edits.Set(Path, Value); break;
            case FuzzEditVerb.Replace: edits.Replace(Path, Bytes); break;
            default: edits.InsertAfter(Path, Bytes); break;
        }
    }
}
