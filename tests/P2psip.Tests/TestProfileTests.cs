namespace P2psip.Tests;

/// <summary><c>P2PSIP_TEST_PROFILE</c>: full by default, ci when .ci/run says so, and nothing else.</summary>
public class TestProfileTests
{
    [Theory]
    [InlineData(null, "full")]
    [InlineData("", "full")]
    [InlineData("full", "full")]
    [InlineData("ci", "ci")]
    public void KnownProfilesAreRead(string? value, string profile) => Assert.Equal(profile, TestProfile.Read(value));

    [Fact]
    public void AnUnknownProfileIsAnErrorNamingTheKnownOnes()
    {
        var e = Assert.Throws<InvalidOperationException>(() => TestProfile.Read("CI-fast"));
        Assert.Contains("P2PSIP_TEST_PROFILE=CI-fast", e.Message);
        Assert.Contains("full, ci", e.Message);
    }

    [Fact]
    public void CiRunExportsTheCiProfile()
    {
        // The variable is read by TestProfile only if .ci/run sets it: keep the two in step.
        var run = File.ReadAllText(Path.Combine(Fuzz.RepositoryRoot.Path, ".ci", "run"));
        Assert.Contains("export P2PSIP_TEST_PROFILE=\"${P2PSIP_TEST_PROFILE:-ci}\"", run);
    }
}
