using P2psip.Conformance;
using P2psip.Conformance.Probe;
using P2psip.Conformance.Sut;
using P2psip.Peer;

namespace P2psip.Cli.Commands;

/// <summary>
/// <c>--target embedded|HOST:PORT [--lab DIR] [--transport T] [--disable D...] [--inject-fault NAME]</c>
/// of the verbs that send to one peer (replay, scenario run): every option checked first (one
/// line each), then the lab and the target, not yet started.
/// </summary>
internal sealed record TargetOptions(string Target, string? Lab, string Transport, string[] Disable, int Seed, string? InjectFault = null)
{
    public (CertificationLab Lab, ISystemUnderTest Sut) Prepare()
    {
        var transport = SutTransportNames.Parse(Transport) is { } t && t != SutTransport.InsecureTcpUnframed ? t
            : throw new CliError($"--transport \"{Transport}\": tls, dtls or insecure-tcp");
        bool embedded = Target.Equals("embedded", StringComparison.OrdinalIgnoreCase);
        System.Net.IPEndPoint? address = null;
        if (!embedded)
        {
            address = LiveOptions.ParseEndPoint(Target, "--target");
            if (Lab is null && transport.IsSecure()) throw new CliError("--target HOST:PORT over TLS or DTLS needs --lab DIR (its CA issues the harness's identities)");
            if (Disable.Length > 0) throw new CliError("--disable applies only with --target embedded");
            if (InjectFault is not null) throw new CliError("--inject-fault plants a defect in the reference peer: it needs --target embedded");
        }
        DefenceSwitches defences;
        try { defences = DefenceSwitches.AllOn.Disable(Disable); }
        catch (ArgumentException e) { throw new CliError("--disable: " + e.Message.Split(" (Parameter")[0]); }
        InjectedFault? fault = InjectFault is null ? null
            : InjectedFault.Find(InjectFault) ?? throw new CliError($"--inject-fault: no fault '{InjectFault}'; known: {InjectedFault.Names}");
        var lab = Lab is { } dir ? LoadLab(dir, Seed) : CertificationLab.Create(Seed);
        ISystemUnderTest sut = embedded
            ? new EmbeddedSut(lab, defences, transport) { InjectedFault = fault }
            : new ExternalSut(new SutEndpoint(address!, transport, Lab is null ? (Wire.Opaque?)null : lab.SutIdentity.NodeId));
        return (lab, sut);
    }

    public static async Task StartAsync(ISystemUnderTest sut, CancellationToken cancel)
    {
        try { await sut.StartAsync(cancel); }
        catch (SutSetupException e) { throw new CliError(e.Message); }
    }

    private static CertificationLab LoadLab(string directory, int seed)
    {
        try { return CertificationLab.Load(directory, seed); }
        catch (Exception e) when (e is IOException or InvalidDataException or UnauthorizedAccessException or FormatException)
        {
            throw new CliError($"--lab {directory}: {e.Message}");
        }
    }
}
