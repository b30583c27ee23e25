using BenchmarkDotNet.Running;
using P2psip.Benchmarks;

// `tshark [COPIES]` compares the codec with tshark on the same messages; `proxy [MESSAGES] [ROUNDS]` measures
// the adversary proxy against a direct TLS link; `netfuzz [SECONDS]` network fuzzing's
// cases/s (embedded and --sut-command) and time to find each injected fault; anything else goes to BenchmarkDotNet.
if (args.Length > 0 && args[0] == "tshark")
    return TsharkComparison.Run(args[1..]);
if (args.Length > 0 && args[0] == "proxy")
    return ProxyOverhead.Run(args[1..]);
// `capture-decode [N] [ROUNDS]` times `p2psip decode --pcap` against tshark, whole processes, on one capture.
if (args.Length > 0 && args[0] == "capture-decode")
    return CaptureDecodeComparison.Run(args[1..]);
if (args.Length > 0 && args[0] == "netfuzz")
    return NetFuzzThroughput.Run(args[1..]);
// `sim [--100k] [--peers=N,M] [--bulk]`: the simulator's build time, simulated messages/s and bytes per peer at 1,000 and 10,000 peers.
if (args.Length > 0 && args[0] == "sim")
    return SimulatorSpeed.Run(args[1..]);
BenchmarkSwitcher.FromAssembly(typeof(CodecBenchmarks).Assembly).Run(args);
return 0;
