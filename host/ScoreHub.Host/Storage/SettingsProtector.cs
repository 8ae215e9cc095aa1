using System.Security.Cryptography;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.AspNetCore.DataProtection.Repositories;
using Microsoft.Extensions.Options;
using ScoreHub.Host.Core.Leads;

namespace ScoreHub.Host.Storage;

/// <summary>
/// Encrypts what the database keeps of plugin settings and trigger definitions: they hold API tokens, signing
/// secrets, SMTP passwords and authorization headers. ASP.NET Core Data Protection (authenticated encryption, keys
/// rotated every 90 days and kept to read older values) with its key ring in <c>{data}/keys</c>, so a copy of the
/// database alone reveals none of them (ADR 0014).
/// </summary>
internal sealed class SettingsProtector(IDataProtectionProvider provider)
{
    private const string Prefix = "dp1:";
    private readonly IDataProtector _protector = provider.CreateProtector("ScoreHub.Settings.v1");

    public string Protect(string plaintext) => Prefix + _protector.Protect(plaintext);

    /// <summary>
    /// The plaintext of a stored value. A value written before encryption (plain JSON) is returned as it is, with
    /// <paramref name="wasPlain"/> set so the caller can store it again, encrypted.
    /// </summary>
    /// <exception cref="CryptographicException">The key ring no longer holds the key it was encrypted with.</exception>
    public string Unprotect(string stored, out bool wasPlain)
    {
        wasPlain = !stored.StartsWith(Prefix, StringComparison.Ordinal);
        return wasPlain ? stored : _protector.Unprotect(stored[Prefix.Length..]);
    }

    /// <summary>Data Protection with its key ring in the data directory, readable by this user only.</summary>
    public static void AddTo(IServiceCollection services)
    {
        services.AddDataProtection().SetApplicationName("ScoreHub");
        services.AddOptions<KeyManagementOptions>()
            .Configure<IOptions<ScoreHubOptions>, ILoggerFactory>((keys, options, loggers) =>
            {
                var directory = Path.Combine(Path.GetFullPath(options.Value.DataDirectory), "keys");
                if (OperatingSystem.IsWindows())
                {
                    Directory.CreateDirectory(directory);
                }
                else
                {
                    Directory.CreateDirectory(directory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
                }

                keys.XmlRepository = new FileSystemXmlRepository(new DirectoryInfo(directory), loggers);
            });
        services.AddSingleton<SettingsProtector>();
    }
}
