using P2psip.Conformance.Probe;

namespace P2psip.Conformance.Sut;

/// <summary>
/// A peer already running at an address (<c>--sut HOST:PORT</c>): the harness cannot restart it,
/// and can only tell it is dead by the liveness probe.
/// </summary>
public sealed class ExternalSut(SutEndpoint endpoint) : ISystemUnderTest
{
    public string Kind => "external";
    public string Description => $"external peer at {Endpoint}";
    public SutEndpoint Endpoint { get; } = endpoint;
    public IReadOnlyList<string>? DisabledDefences => null;
    public bool CanRestart => false;
    public bool? HasExited => null;
    public IReadOnlyList<string> RecentOutput => [];
    public Task StartAsync(CancellationToken cancel) => Task.CompletedTask;
    public Task RestartAsync(CancellationToken cancel) => throw new SutSetupException("an external SUT cannot be restarted by the harness");
    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}
