namespace P2psip.Messages.Topology;

/// <summary>
/// <code>
///   enum { invalidProbeInformationType(0), responsible_set(1), num_resources(2), uptime(3), (255) }
///        ProbeInformationType;
/// </code>
/// (§6.4.2.5.1). Other non-zero values are allowed on the wire: ProbeInformation "allows for unknown option types".
/// </summary>
public static class ProbeInformationType
{
    public const byte ResponsibleSet = 1, NumResources = 2, Uptime = 3;

    public static string? Name(ulong t) => t switch
    {
        0 => "invalidProbeInformationType", 1 => "responsible_set", 2 => "num_resources", 3 => "uptime", _ => null,
    };

    public static bool IsKnown(byte t) => t is ResponsibleSet or NumResources or Uptime;
}
