using P2psip.Fuzz.Targets;

namespace P2psip.Fuzz;

/// <summary>Runs one input through a target outside afl-fuzz and says what happened.</summary>
public static class Reproducer
{
    /// <summary>How long one input may run before it counts as a hang (AFL++'s -t is far shorter).</summary>
    public static TimeSpan HangLimit { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>The stack of the thread that runs the input: the size of a main thread's (ulimit -s), where afl-fuzz runs it.</summary>
    private const int MainThreadStack = 8 * 1024 * 1024;

    public sealed record Outcome(Exception? Exception, bool Hung)
    {
        public string Signature => Hung ? "hang" : Exception is null ? "-" : CrashSignature.Of(Exception);
        public string Id => Hung ? "hang" : Exception is null ? "-" : CrashSignature.Id(Signature);
    }

    public static Outcome Classify(IFuzzTarget target, byte[] input)
    {
        Exception? caught = null;
        var worker = new Thread(() =>
        {
            try { target.Run(input); }
            catch (Exception e) { caught = e; }
        }, MainThreadStack) { IsBackground = true };
        worker.Start();
        return worker.Join(HangLimit) ? new Outcome(caught, false) : new Outcome(null, true);
    }

    /// <summary>Prints the outcome; 0 = no crash, 1 = an exception escaped, 3 = hang.</summary>
    public static int Reproduce(IFuzzTarget target, string file, TextWriter output)
    {
        var input = File.ReadAllBytes(file);
        var outcome = Classify(target, input);
        if (outcome.Hung)
        {
            output.WriteLine($"HANG: target {target.Name} did not return within {HangLimit.TotalSeconds:0} s on {file} ({input.Length} bytes)");
            return 3;
        }
        if (outcome.Exception is null)
        {
            output.WriteLine($"OK: target {target.Name} returned normally on {file} ({input.Length} bytes)");
            return 0;
        }
        output.WriteLine($"CRASH {outcome.Id}: target {target.Name} on {file} ({input.Length} bytes)");
        output.WriteLine($"signature: {outcome.Signature}");
        output.WriteLine(outcome.Exception.ToString());
        return 1;
    }
}
