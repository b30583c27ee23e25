using P2psip.Capture;
using P2psip.Corpus;
using P2psip.Framing;
using P2psip.Messages;
using P2psip.Tests.Capture;

namespace P2psip.Tests.Cli;

public class WriteCommandsTests
{
    [Fact]
    public void Corpus_write_writes_one_file_per_seed_and_the_ack()
    {
        var dir = CliRunner.NewDirectory();
        var (exit, output, error) = CliRunner.Run(dir, "corpus", "write", "seeds");
        Assert.Equal(0, exit);
        Assert.Equal("", error);
        var expected = SeedCorpus.Files();
        Assert.Equal([$"wrote {expected.Count} seed files to seeds"], CliRunner.Lines(output));
        var written = Directory.GetFiles(Path.Combine(dir, "seeds")).Select(Path.GetFileName).Order(StringComparer.Ordinal).ToList();
        Assert.Equal(expected.Select(s => s.Name + ".bin").Order(StringComparer.Ordinal), written);
        foreach (var (name, bytes) in expected)
            Assert.Equal(bytes, File.ReadAllBytes(Path.Combine(dir, "seeds", name + ".bin")));
        Assert.IsType<AckFrame>(FramedMessage.Decode(File.ReadAllBytes(Path.Combine(dir, "seeds", "ack.bin"))).Value);
        Assert.Empty(Directory.GetFiles(Path.Combine(dir, "seeds"), "*.tmp"));

        // Every seed decodes with the CLI.
        (exit, output, error) = CliRunner.Run(dir, ["decode", .. written.Select(f => Path.Combine("seeds", f!))]);
        Assert.Equal(0, exit);
        Assert.Equal("", error);
        Assert.Equal(expected.Count, CliRunner.Lines(output).Count(l => l.StartsWith("== seeds/", StringComparison.Ordinal)));
    }

    [Fact]
    public void Pcap_write_writes_a_capture_the_reader_and_decode_read_back()
    {
        var dir = CliRunner.NewDirectory();
        File.WriteAllBytes(Path.Combine(dir, "a.bin"), CaptureSamples.ErrorMessage("a"));
        File.WriteAllBytes(Path.Combine(dir, "b.bin"), CaptureSamples.LargeMessage());
        var (exit, output, error) = CliRunner.Run(dir, "pcap", "write", "--out", "out.pcap", "--acks", "a.bin", "b.bin");
        Assert.Equal(0, exit);
        Assert.Equal("", error);
        Assert.StartsWith("wrote 2 messages in ", CliRunner.Lines(output).Single());

        var records = PcapReloadReader.ReadAll(Path.Combine(dir, "out.pcap"));
        Assert.Equal(4, records.Count);
        Assert.Equal(CaptureSamples.ErrorMessage("a"), Assert.IsType<DataFrame>(records[0].Frame).Message.ToArray());
        Assert.IsType<AckFrame>(records[1].Frame);
        Assert.Equal(CaptureSamples.LargeMessage(), Assert.IsType<DataFrame>(records[2].Frame).Message.ToArray());
        // An error response is an answer: it comes back from the RELOAD port.
        Assert.Equal(FlowDirection.ToClient, records[0].Direction);
        Assert.Empty(Directory.GetFiles(dir, "*.tmp"));
    }

    [Fact]
    public void Pcap_write_refuses_invalid_files_and_writes_nothing()
    {
        var dir = CliRunner.NewDirectory();
        var bad = CaptureSamples.ErrorMessage();
        bad[0] = 0; // not the RELO token
        File.WriteAllBytes(Path.Combine(dir, "ok.bin"), CaptureSamples.ErrorMessage());
        File.WriteAllBytes(Path.Combine(dir, "bad.bin"), bad);
        var (exit, output, error) = CliRunner.Run(dir, "pcap", "write", "--out", "out.pcap", "ok.bin", "bad.bin");
        Assert.Equal(1, exit);
        Assert.Equal("", output);
        var lines = CliRunner.Lines(error);
        Assert.StartsWith("p2psip: bad.bin: invalid: forwarding_header.relo_token at offset 0", lines[0]);
        Assert.False(File.Exists(Path.Combine(dir, "out.pcap")));
        Assert.Empty(Directory.GetFiles(dir, "*.tmp"));
    }

    [Fact]
    public void Pcap_write_without_out_is_a_usage_error()
    {
        var (exit, _, error) = CliRunner.Run(CliRunner.NewDirectory(), "pcap", "write", "x.bin");
        Assert.Equal(2, exit);
        Assert.DoesNotContain("   at ", error);
    }

    [Fact]
    public void The_corpus_seeds_all_decode_and_have_the_fixed_header()
    {
        var seeds = SeedCorpus.All();
        Assert.Contains(seeds, s => s.Name == "error");
        Assert.Equal(seeds.Count, seeds.Select(s => s.Name).Distinct().Count());
        foreach (var (name, bytes) in seeds)
        {
            var message = ReloadCodec.Decode(bytes).GetValueOrThrow();
            Assert.Equal(SeedCorpus.OverlayHash("example.org"), message.Header.Overlay);
            Assert.Equal(SeedCorpus.TransactionIdFor(name), message.Header.TransactionId);
            Assert.Equal(100, message.Header.Ttl);
            Assert.Single(message.Header.DestinationList);
        }
        Assert.Equal(seeds.Select(s => s.Bytes), SeedCorpus.All().Select(s => s.Bytes));
    }
}
