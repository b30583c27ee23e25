using System.CommandLine;
using System.Globalization;

namespace P2psip.Cli;

/// <summary>
/// The one way the CLI waits on the network: under a deadline (the verb's --timeout), saying on
/// standard error what it is waiting for once the wait has lasted <see cref="NoticeAfter"/> (and each
/// later step as it begins), and on timeout naming the step that did not finish — one line, exit 2.
/// </summary>
internal sealed class NetworkWait
{
    /// <summary>How long a wait stays silent: a quick answer prints nothing extra.</summary>
    public static readonly TimeSpan NoticeAfter = TimeSpan.FromSeconds(2);

    private readonly string _verb;
    private readonly TextWriter _error;
    private readonly object _gate = new();
    private string _step = "";
    private bool _announced;

    public NetworkWait(string verb, TextWriter error, TimeSpan deadline)
    {
        _verb = verb;
        _error = error;
        Deadline = deadline;
    }

    public TimeSpan Deadline { get; }

    /// <summary>--timeout SECONDS, for every verb that waits on the network.</summary>
    public static Option<double> TimeoutOption(double defaultSeconds) => new("--timeout")
    {
        Description = $"Seconds to wait for each network step before giving up (default {defaultSeconds.ToString(CultureInfo.InvariantCulture)})",
        DefaultValueFactory = _ => defaultSeconds,
    };

    public static NetworkWait From(ParseResult parse, Option<double> timeout, string verb)
    {
        double seconds = parse.GetValue(timeout);
        if (!(seconds > 0 && seconds <= 86_400)) throw new CliError($"--timeout must be between 0 and 86400 seconds, got {seconds.ToString(CultureInfo.InvariantCulture)}");
        return new NetworkWait(verb, parse.InvocationConfiguration.Error, TimeSpan.FromSeconds(seconds));
    }

    /// <summary>The step now awaited (e.g. "the Join answer from the admitting peer"); announced at once if the wait is already long.</summary>
    public void Step(string what)
    {
        lock (_gate)
        {
            if (_step == what) return;
            _step = what;
            if (_announced) Announce();
        }
    }

    /// <summary>Runs <paramref name="work"/> under the deadline; its token is cancelled when the deadline passes.</summary>
    public async Task<T> RunAsync<T>(string step, Func<CancellationToken, Task<T>> work, CancellationToken cancel = default)
    {
        Step(step);
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancel);
        using var notice = new Timer(_ => { lock (_gate) { if (!_announced) { _announced = true; Announce(); } } }, null, NoticeAfter, Timeout.InfiniteTimeSpan);
        var task = work(deadline.Token);
        try
        {
            return await task.WaitAsync(Deadline, cancel).ConfigureAwait(false);
        }
        catch (TimeoutException) when (!task.IsCompleted)
        {
            await deadline.CancelAsync().ConfigureAwait(false);
            throw TimedOut();
        }
        catch (OperationCanceledException) when (deadline.IsCancellationRequested && !cancel.IsCancellationRequested)
        {
            throw TimedOut();
        }
        finally
        {
            lock (_gate) _announced = false;
        }
    }

    public Task RunAsync(string step, Func<CancellationToken, Task> work, CancellationToken cancel = default) =>
        RunAsync(step, async token => { await work(token).ConfigureAwait(false); return true; }, cancel);

    private CliError TimedOut()
    {
        string step;
        lock (_gate) step = _step;
        return new CliError($"{_verb}: timed out after {Seconds} s waiting for {step} (--timeout SECONDS to wait longer)");
    }

    private void Announce() => _error.WriteLine($"p2psip {_verb}: waiting for {_step} (up to {Seconds} s)");

    private string Seconds => Deadline.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture);
}
