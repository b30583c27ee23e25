using P2psip.Conformance.Probe;

namespace P2psip.Conformance.Sut;

/// <summary>
/// The system under test, in one of three forms (issue 13): the embedded reference peer, a peer
/// process the harness starts, or an external peer already running at an address. The runner
/// sees only this: where to reach it, whether it can be restarted, and what it last said.
/// </summary>
public interface ISystemUnderTest : IAsyncDisposable
{
    /// <summary>"embedded", "process" or "external".</summary>
    string Kind { get; }

    /// <summary>One line for reports: what it is and where.</summary>
    string Description { get; }

    /// <summary>Where the harness reaches it; valid once <see cref="StartAsync"/> returned.</summary>
    SutEndpoint Endpoint { get; }

    /// <summary>The reference's defences switched off, when the SUT is a reference peer; null otherwise.</summary>
    IReadOnlyList<string>? DisabledDefences { get; }

    /// <summary>Whether the harness started it and can start it again after a crash.</summary>
    bool CanRestart { get; }

    /// <summary>True when the SUT is known to have died (its process exited); false when known alive; null when it cannot tell.</summary>
    bool? HasExited { get; }

    /// <summary>The SUT's own last output lines (its log, for a process), for crash evidence.</summary>
    IReadOnlyList<string> RecentOutput { get; }

    /// <summary>Starts it (or, for an external SUT, does nothing); throws <see cref="SutSetupException"/> when it cannot.</summary>
    Task StartAsync(CancellationToken cancel);

    /// <summary>Stops and starts it again; throws <see cref="SutSetupException"/> when it cannot.</summary>
    Task RestartAsync(CancellationToken cancel);
}

/// <summary>The SUT could not be set up: a usage or setup error (exit 2), never a verdict.</summary>
public sealed class SutSetupException(string message, Exception? inner = null) : Exception(message, inner);
