using System.Security.Cryptography;

namespace P2psip.Security;

/// <summary>
/// An enrollment account (§11.3): the user name, a salted PBKDF2-SHA256 hash of the password (the
/// password is compared as UTF-8 bytes), and the Node-IDs issued to it so far, in hex.
/// </summary>
public sealed class UserAccount
{
    private const int DefaultIterations = 10_000, HashBytes = 32;

    public required string User { get; init; }
    public required string Salt { get; init; }
    public required string PasswordHash { get; init; }
    /// <summary>PBKDF2 iterations used for this account's hash.</summary>
    public int Iterations { get; init; } = DefaultIterations;
    public List<string> NodeIds { get; init; } = [];

    public static UserAccount Create(string user, string password)
    {
        var salt = RandomNumberGenerator.GetBytes(16);
        return new UserAccount { User = user, Salt = Convert.ToBase64String(salt), PasswordHash = Convert.ToBase64String(Hash(password, salt, DefaultIterations)) };
    }

    public bool PasswordMatches(string password) =>
        CryptographicOperations.FixedTimeEquals(Hash(password, Convert.FromBase64String(Salt), Iterations), Convert.FromBase64String(PasswordHash));

    private static byte[] Hash(string password, byte[] salt, int iterations) =>
        Rfc2898DeriveBytes.Pbkdf2(System.Text.Encoding.UTF8.GetBytes(password), salt, iterations, HashAlgorithmName.SHA256, HashBytes);

    /// <summary>
    /// Enrollment servers SHOULD allow only legal characters in user names (§11.3): an rfc822Name is an
    /// IA5String, so printable ASCII without spaces, and one '@' at most.
    /// </summary>
    public static string? ProblemWithName(string user)
    {
        if (user.Length is 0 or > 254) return "a user name must have 1 to 254 characters";
        if (user.Any(ch => ch is <= ' ' or > '~')) return "a user name may contain only printable ASCII without spaces";
        if (user.Count(ch => ch == '@') > 1) return "a user name may contain at most one '@'";
        return null;
    }
}
