namespace P2psip.Overlay;

/// <summary>A bootstrap-node element (§11.1): an IPv4 or IPv6 address and a port, 6084 by default.</summary>
public sealed record BootstrapNode(string Address, int Port = BootstrapNode.DefaultPort)
{
    public const int DefaultPort = 6084;
    public override string ToString() => Address.Contains(':') ? $"[{Address}]:{Port}" : $"{Address}:{Port}";
}
