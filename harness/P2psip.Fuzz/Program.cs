using P2psip.Fuzz;
using P2psip.Fuzz.Targets;
using SharpFuzz;

// The fuzzing entry point. run-fuzz.ps1 drives it; by hand:
//   fuzz TARGET                  persistent loop under afl-fuzz (input on stdin)
//   reproduce TARGET FILE        runs one input and prints the exception (exit 1), a hang (exit 3) or "no crash" (exit 0)
//   signature TARGET FILE...     one line per file: file <TAB> id <TAB> signature, or "-" when it does not crash
//   seeds TARGET DIR [CORPUS]    writes the target's starting inputs into DIR
//   dictionary TARGET FILE       writes the target's own AFL++ dictionary tokens (maybe none) into FILE
//   depth peer|peer-resign FILE...  how deep the inputs get into the reference peer (drops, storage, answers)
//   list                         the target names
// This assembly holds Main and SharpFuzz's loop, so it is never instrumented: only P2psip.Core is.

if (args.Length == 0) return Usage();
if (args[0] == "list")
{
    foreach (var t in FuzzTargets.All) Console.WriteLine(t.IsTestOnly ? $"{t.Name} (test only)" : t.Name);
    return 0;
}
if (args.Length < 2) return Usage();
var target = FuzzTargets.Find(args[1]);
if (target is null)
{
    Console.Error.WriteLine($"unknown target '{args[1]}'; known: {string.Join(", ", FuzzTargets.All.Select(t => t.Name))}");
    return 2;
}

switch (args[0])
{
    case "fuzz":
        var buffer = new MemoryStream();
        Fuzzer.Run(stream =>
        {
            buffer.SetLength(0);
            stream.CopyTo(buffer);
            target.Run(buffer.GetBuffer().AsMemory(0, (int)buffer.Length));
        });
        return 0;
    case "reproduce" when args.Length == 3:
        return Reproducer.Reproduce(target, args[2], Console.Out);
    case "signature" when args.Length >= 3:
        foreach (var file in args.Skip(2))
        {
            var outcome = Reproducer.Classify(target, File.ReadAllBytes(file));
            Console.WriteLine($"{file}\t{outcome.Id}\t{outcome.Signature}");
        }
        return 0;
    case "seeds" when args.Length is 3 or 4:
        int count = SeedWriter.Write(target, args[2], args.Length == 4 ? args[3] : null);
        Console.WriteLine($"{count} seeds written to {args[2]}");
        return 0;
    case "depth" when args.Length >= 3 && target is PeerTarget peer:
        PeerDepthReport.Write(peer, args.Skip(2), Console.Out);
        return 0;
    case "dictionary" when args.Length == 3:
        File.WriteAllLines(args[2], target.DictionaryTokens.Select((token, i) =>
            $"{target.Name.Replace('-', '_')}_{i}=\"{string.Concat(token.Select(b => $"\\x{b:x2}"))}\""));
        return 0;
    default:
        return Usage();
}

static int Usage()
{
    Console.Error.WriteLine("usage: P2psip.Fuzz list | fuzz TARGET | reproduce TARGET FILE | signature TARGET FILE... | seeds TARGET DIR [CORPUS] | dictionary TARGET FILE | depth peer|peer-resign FILE...");
    return 2;
}
