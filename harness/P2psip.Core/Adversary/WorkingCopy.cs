using P2psip.Links;
using P2psip.Messages;
using P2psip.Wire;

namespace P2psip.Adversary;

/// <summary>What a copy of the message under decision is for.</summary>
internal enum CopyRole
{
    /// <summary>The message (or a duplicate of it) going on its way.</summary>
    Forward,
    /// <summary>Going to another node instead.</summary>
    Redirect,
    /// <summary>A forged message added on this link.</summary>
    Inject,
    /// <summary>A replay to send later.</summary>
    Replay,
}

/// <summary>
/// One copy being worked on by a rule's actions: the model and the edits to write it with (or raw
/// bytes when the message does not decode), the signature treatment, where it goes and when.
/// </summary>
internal sealed class WorkingCopy
{
    public required CopyRole Role { get; set; }
    public ReloadMessage? Model { get; set; }
    public byte[]? Raw { get; set; }
    public WireEdits Edits { get; set; } = new();
    /// <summary>Byte-offset splices applied to the finished bytes, in order.</summary>
    public List<SpliceAction> RawSplices { get; } = [];
    public SignatureTreatment Signature { get; set; } = SignatureTreatment.Keep;
    public TimeSpan Delay { get; set; }
    public LinkDirection Direction { get; set; }
    public NodeTarget? To { get; set; }
    public long? AfterMessages { get; set; }
    public TimeSpan? AfterTime { get; set; }

    public WorkingCopy Clone(CopyRole role)
    {
        var copy = new WorkingCopy
        {
            Role = role,
            Model = Model,
            Raw = Raw,
            Edits = WireEdits.Parse(Edits.ToString()),
            Signature = Signature,
            Delay = Delay,
            Direction = Direction,
            To = To,
        };
        copy.RawSplices.AddRange(RawSplices);
        return copy;
    }

    /// <summary>True when nothing was changed: the original bytes can go as they are.</summary>
    public bool Unchanged => Edits.IsEmpty && RawSplices.Count == 0 && Signature.Mode == SignatureMode.Keep;
}
