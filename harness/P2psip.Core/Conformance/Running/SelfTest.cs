using P2psip.Conformance.Sut;
using P2psip.Peer;

namespace P2psip.Conformance.Running;

/// <summary>
/// <c>p2psip certify --self-test</c> (issue 13): the suite against the embedded reference with all
/// defences on, then once per defence switched off alone. It passes when the all-on reference
/// passes every case, every defence makes at least one case that declares it fail, and no case
/// fails unless a defence it declares is off.
/// </summary>
public static class SelfTest
{
    public static async Task<IReadOnlyList<SelfTestVariant>> RunAsync(IReadOnlyList<ConformanceCase> cases, RunOptions options,
        Func<string?, IRunObserver> observerFor, CancellationToken cancel = default)
    {
        var variants = new List<SelfTestVariant>();
        foreach (var disabled in new string?[] { null }.Concat(DefenceSwitches.Catalogue.Select(d => d.Name)))
        {
            cancel.ThrowIfCancellationRequested();
            var lab = CertificationLab.Create(options.Seed);
            var defences = disabled is null ? DefenceSwitches.AllOn : DefenceSwitches.AllOn.Disable(disabled);
            await using var sut = new EmbeddedSut(lab, defences);
            var runner = new CertificationRunner(lab, sut, options with
            {
                RerunCommand = id => $"p2psip certify --case {id} --seed {options.Seed}" + (disabled is null ? "" : $" --disable {disabled}"),
            }, observerFor(disabled));
            variants.Add(new SelfTestVariant(disabled, await runner.RunAsync(cases, cancel).ConfigureAwait(false)));
        }
        return variants;
    }
}
