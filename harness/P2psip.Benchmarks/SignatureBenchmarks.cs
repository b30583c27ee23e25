using BenchmarkDotNet.Attributes;
using Org.BouncyCastle.Crypto;
using Org.BouncyCastle.Crypto.Parameters;
using Org.BouncyCastle.Security;
using P2psip.Messages.Security;
using P2psip.Security;

namespace P2psip.Benchmarks;

/// <summary>
/// One RELOAD signature (§6.3.4) over a 300-byte input, signed and verified: BouncyCastle's signer
/// (the baseline, what SignatureAlgorithms did before) against SignatureAlgorithms (the platform's
/// twin of the key), for ECDSA P-256 and RSA 2048, in the same run.
/// </summary>
[MemoryDiagnoser]
public class SignatureBenchmarks
{
    private static readonly byte[] Input = Enumerable.Range(0, 300).Select(i => (byte)i).ToArray();
    private AsymmetricCipherKeyPair _keys = null!;
    private SignatureAndHashAlgorithm _algorithm = SignatureAndHashAlgorithm.EcdsaSha256;
    private byte[] _signature = [];

    [Params(KeyAlgorithm.EcdsaP256, KeyAlgorithm.Rsa2048)]
    public KeyAlgorithm Key { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _keys = KeyPairs.Generate(Key);
        _algorithm = SignatureAlgorithms.For(_keys.Private);
        _signature = SignatureAlgorithms.Sign(_keys.Private, _algorithm, Input);
    }

    private string BouncyCastleName => Key == KeyAlgorithm.Rsa2048 ? "SHA256WITHRSA" : "SHA256WITHECDSA";

    [Benchmark(Baseline = true)]
    public byte[] SignBouncyCastle()
    {
        var signer = SignerUtilities.GetSigner(BouncyCastleName);
        signer.Init(true, new ParametersWithRandom(_keys.Private, new SecureRandom()));
        signer.BlockUpdate(Input);
        return signer.GenerateSignature();
    }

    [Benchmark]
    public byte[] Sign() => SignatureAlgorithms.Sign(_keys.Private, _algorithm, Input);

    [Benchmark]
    public bool VerifyBouncyCastle()
    {
        var verifier = SignerUtilities.GetSigner(BouncyCastleName);
        verifier.Init(false, _keys.Public);
        verifier.BlockUpdate(Input);
        return verifier.VerifySignature(_signature);
    }

    [Benchmark]
    public string? Verify() => SignatureAlgorithms.Verify(_keys.Public, _algorithm, Input, _signature);
}
