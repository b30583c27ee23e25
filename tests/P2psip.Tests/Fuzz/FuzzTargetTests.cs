using P2psip.Framing;
using P2psip.Fuzz;
using P2psip.Fuzz.Targets;
using P2psip.Messages;

namespace P2psip.Tests.Fuzz;

/// <summary>The fuzz targets and their helpers, run in-process without afl-fuzz.</summary>
public class FuzzTargetTests
{
    private static string Corpus => Path.Combine(RepositoryRoot.Path, "corpus");

    [Theory]
    [InlineData("decode")]
    [InlineData("framing")]
    [InlineData("peer")]
    [InlineData("peer-resign")]
    [InlineData("selftest-crash")]
    public void Seeds_of_every_target_run_clean(string name)
    {
        var target = FuzzTargets.Find(name)!;
        var dir = Directory.CreateTempSubdirectory("p2psip-seeds-");
        try
        {
            Assert.True(SeedWriter.Write(target, dir.FullName, Corpus) > 0);
            foreach (var file in Directory.EnumerateFiles(dir.FullName))
            {
                var outcome = Reproducer.Classify(target, File.ReadAllBytes(file));
                Assert.True(outcome.Exception is null && !outcome.Hung, $"{Path.GetFileName(file)}: {outcome.Signature}");
            }
        }
        finally { dir.Delete(recursive: true); }
    }

    [Theory]
    [InlineData("decode")]
    [InlineData("framing")]
    [InlineData("peer")]
    [InlineData("peer-resign")]
    [InlineData("selftest-crash")]
    public void Empty_and_one_byte_inputs_run_clean(string name)
    {
        var target = FuzzTargets.Find(name)!;
        target.Run(ReadOnlyMemory<byte>.Empty);
        for (int b = 0; b < 256; b++) target.Run(new[] { (byte)b });
    }

    private sealed class AlwaysThrows : IFuzzTarget
    {
        public string Name => "always-throws";
        public void Run(ReadOnlyMemory<byte> input) => throw new FormatException("boom");
    }

    [Fact]
    public void Seeds_that_crash_the_target_are_set_aside_for_triage()
    {
        var dir = Directory.CreateTempSubdirectory("p2psip-seeds-");
        try
        {
            var seeds = Path.Combine(dir.FullName, "seeds");
            Assert.Equal(0, SeedWriter.Write(new AlwaysThrows(), seeds, corpusDirectory: null));
            Assert.Empty(Directory.GetFiles(seeds));
            var crashing = Directory.GetFiles(seeds + ".crashing");
            Assert.NotEmpty(crashing);
            Assert.All(crashing, f => Assert.StartsWith("id:seed-", Path.GetFileName(f)));
        }
        finally { dir.Delete(recursive: true); }
    }

    [Fact]
    public void Built_in_seeds_are_valid_messages()
    {
        foreach (var (name, bytes) in SeedWriter.BuiltIn())
        {
            var decoded = ReloadCodec.Decode(bytes);
            Assert.True(decoded.IsSuccess, $"{name}: {decoded.Error}");
        }
    }

    [Fact]
    public void Selftest_target_throws_on_the_marker_only()
    {
        var target = new SelfTestCrashTarget();
        target.Run(SelfTestCrashTarget.NearMarker());
        byte[] marked = [0xd2, .. SelfTestCrashTarget.Marker, 0x00];
        var e = Assert.Throws<InvalidOperationException>(() => target.Run(marked));
        Assert.Contains("self-test marker", e.Message);
    }

    [Fact]
    public void Crash_signature_names_type_and_top_frames_and_is_stable()
    {
        var input = SelfTestCrashTarget.Marker.ToArray();
        var first = Reproducer.Classify(new SelfTestCrashTarget(), input);
        var second = Reproducer.Classify(new SelfTestCrashTarget(), [.. input, .. input]);
        Assert.StartsWith("System.InvalidOperationException @ P2psip.Fuzz.Targets.SelfTestCrashTarget.", first.Signature);
        Assert.DoesNotContain("Reproducer", first.Signature);
        Assert.Equal(first.Id, second.Id);
        Assert.Matches("^[0-9a-f]{12}$", first.Id);
    }

    [Fact]
    public void Reproduce_prints_the_exception_and_returns_1()
    {
        var file = Path.GetTempFileName();
        try
        {
            File.WriteAllBytes(file, SelfTestCrashTarget.Marker.ToArray());
            var output = new StringWriter();
            Assert.Equal(1, Reproducer.Reproduce(new SelfTestCrashTarget(), file, output));
            Assert.Contains("System.InvalidOperationException: self-test marker", output.ToString());
            File.WriteAllBytes(file, [1, 2, 3]);
            Assert.Equal(0, Reproducer.Reproduce(new SelfTestCrashTarget(), file, new StringWriter()));
        }
        finally { File.Delete(file); }
    }

    [Fact]
    public void Framing_target_reassembles_frames_cut_at_every_size()
    {
        var message = SeedWriter.BuiltIn().First().Bytes;
        var stream = (byte[])[.. new AckFrame(1, 1).Encode(), .. new DataFrame(2, message).Encode(), .. new AckFrame(3, 0).Encode()];
        for (byte size = 0; size < 40; size++)
            new FramingTarget().Run((byte[])[0, size, .. stream]);
        new FramingTarget().Run((byte[])[7, 1, 2, 3, 4, 5, 6, 7, 8, .. stream, 0x42]);
    }

    [Fact]
    public void Decode_target_accepts_rejected_and_truncated_inputs()
    {
        var target = new DecodeTarget();
        var message = SeedWriter.BuiltIn().Last().Bytes;
        for (int n = 0; n <= message.Length; n++) target.Run(message.AsMemory(0, n));
        target.Run(new DataFrame(5, message).Encode());
        target.Run((byte[])[FramedMessage.AckType, 0, 0]);
    }
}
