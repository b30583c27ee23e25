using P2psip.Conformance;
using P2psip.Conformance.Probe;
using P2psip.Conformance.Sut;
using P2psip.Links;
using P2psip.Messages;
using P2psip.Peer;

namespace P2psip.Tests.Conformance.Doubles;

/// <summary>
/// A test-only SUT: the embedded reference peer, except that it crashes (<c>LivePeer.Crash()</c>:
/// timers stopped, links and listener closed) when an inbound message with <paramref name="trigger"/>'s
/// message code reaches it. A handler on the peer's link pipeline sees the message first and drops it.
/// Restartable, like an embedded or process SUT; or not, like an external one (then it says
/// "external" and the runner can only tell it died by the liveness probe).
/// </summary>
internal sealed class CrashOnMessageSut(CertificationLab lab, ushort trigger, bool restartable) : ISystemUnderTest
{
    private readonly EmbeddedSut _inner = new(lab, DefenceSwitches.AllOn);
    private readonly List<string> _said = [];

    public string Kind => restartable ? "embedded" : "external";
    public string Description => $"reference peer that crashes on {MessageCodes.NameOf(trigger)} ({(restartable ? "restartable" : "not restartable")})";
    public SutEndpoint Endpoint => _inner.Endpoint;
    public IReadOnlyList<string>? DisabledDefences => [];
    public bool CanRestart => restartable;
    public bool? HasExited => restartable ? _inner.HasExited : null;

    /// <summary>How many times it crashed, and how many times it was started.</summary>
    public int Crashes { get; private set; }
    public int Starts { get; private set; }

    public IReadOnlyList<string> RecentOutput
    {
        get { lock (_said) return [.. _inner.RecentOutput, .. _said]; }
    }

    public async Task StartAsync(CancellationToken cancel)
    {
        await _inner.StartAsync(cancel).ConfigureAwait(false);
        Hook();
    }

    public async Task RestartAsync(CancellationToken cancel)
    {
        if (!restartable) throw new SutSetupException("this SUT cannot be restarted");
        await _inner.RestartAsync(cancel).ConfigureAwait(false);
        Hook();
    }

    private void Hook()
    {
        Starts++;
        var peer = _inner.Peer!;
        peer.Links.AddHandler(info => new LinkHandler((message, context) =>
        {
            if (message.Direction != LinkDirection.Inbound || ReloadCodec.DecodeCopy(message.Bytes.Span).Value is not { } decoded
                || decoded.MessageCode != trigger)
                return context.ForwardAsync(message);
            lock (_said) _said.Add($"received {decoded}: crashing");
            Crashes++;
            // Not on the link's own reader: the crash closes the link it came on.
            _ = Task.Run(peer.Crash);
            return ValueTask.CompletedTask;
        }));
    }

    public ValueTask DisposeAsync() => _inner.DisposeAsync();
}
