using P2psip.Wire;

namespace P2psip.Messages.Topology;

/// <summary>
/// The body of probe_ans (§6.4.2.5.2):
/// <code>
///   struct {
///     ProbeInformation        probe_info&lt;0..2^16-1&gt;;
///   } ProbeAns;
/// </code>
/// </summary>
public sealed record ProbeAns(ValueList<ProbeInformation> ProbeInfo) : MessageBody
{
    internal const string Rfc = "6.4.2.5.2";

    public override ushort Code => MessageCodes.ProbeAns;

    internal override void WriteFields(WireWriter w)
    {
        w.BeginVector("probe_info", 2, isList: true);
        foreach (var info in ProbeInfo)
        {
            w.BeginElement();
            info.Write(w);
            w.End();
        }
        w.EndVector();
    }

    internal static bool TryRead(ref WireReader r, out MessageBody value)
    {
        value = null!;
        if (!r.Enter("probe_info", 2, Rfc, out var saved)
            || !r.List<ProbeInformation>("probe_info", Rfc, ProbeInformation.TryRead, out var info)
            || !r.Leave("probe_info", saved, Rfc))
            return false;
        value = new ProbeAns(info);
        return true;
    }
}
