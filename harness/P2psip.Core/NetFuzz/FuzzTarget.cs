using System.Net;
using P2psip.Conformance;
using P2psip.Conformance.Probe;
using P2psip.Conformance.Sut;
using P2psip.Peer;

namespace P2psip.NetFuzz;

/// <summary>
/// The lab and the SUT a campaign fuzzes, in the conformance suite's three forms (issue 13): the
/// embedded reference (with an injected fault, when asked), a process from <c>--sut-command</c>, or
/// an external peer at HOST:PORT. Bad settings are a <see cref="SutSetupException"/> of one line.
/// </summary>
public static class FuzzTarget
{
    public static (CertificationLab Lab, ISystemUnderTest Sut) Create(FuzzSettings settings)
    {
        if (settings.Generator != SessionGenerator.Version)
            throw new SutSetupException($"generator {settings.Generator}: this build makes the cases of generator {SessionGenerator.Version} only; rerun with the p2psip named in the manifest ('tool')");
        var transport = SutTransportNames.Parse(settings.Transport)
            ?? throw new SutSetupException($"--transport: unknown transport '{settings.Transport}'; known: tls, dtls, insecure-tcp");
        CertificationLab lab;
        try
        {
            lab = settings.Lab is { } dir ? CertificationLab.Load(dir, settings.Seed) : CertificationLab.Create(settings.Seed);
        }
        catch (Exception e) when (e is IOException or InvalidDataException or UnauthorizedAccessException or FormatException)
        {
            throw new SutSetupException($"--lab {settings.Lab}: {e.Message}", e);
        }
        InjectedFault? fault = null;
        if (settings.InjectedFault is { } name)
        {
            if (!settings.IsEmbedded && settings.SutCommand is null)
                throw new SutSetupException("--inject-fault plants a defect in the reference peer: it needs --target embedded (or pass it to 'p2psip peer' in --sut-command)");
            fault = InjectedFault.Find(name) ?? throw new SutSetupException($"--inject-fault: no fault '{name}'; known: {InjectedFault.Names}");
        }
        if (settings.SutCommand is { } template)
        {
            if (lab.Directory is null) throw new SutSetupException("--sut-command needs --lab (a directory written by 'p2psip certify init')");
            return (lab, new ProcessSut(template, lab.Directory, Path.Combine(lab.Directory, LabDirectory.SutIdentityFolder), lab.SutIdentity.NodeId, transport));
        }
        if (settings.IsEmbedded)
            return (lab, new EmbeddedSut(lab, DefenceSwitches.AllOn, transport) { InjectedFault = fault });
        if (!IPEndPoint.TryParse(settings.Target, out var endpoint) || endpoint.Port == 0)
            throw new SutSetupException($"--target: '{settings.Target}' is neither 'embedded' nor HOST:PORT (an IP address and a port)");
        return (lab, new ExternalSut(new SutEndpoint(endpoint, transport, settings.Lab is null ? (Wire.Opaque?)null : lab.SutIdentity.NodeId)));
    }
}
