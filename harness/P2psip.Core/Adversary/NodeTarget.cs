using P2psip.Wire;

namespace P2psip.Adversary;

/// <summary>A node an effect sends to: the name the scenario used and the Node-ID it stands for.</summary>
public sealed record NodeTarget(string Name, Opaque NodeId)
{
    public override string ToString() => Name == NodeId.ToHex() ? Name : $"{Name} ({NodeId.ToHex()})";
}
