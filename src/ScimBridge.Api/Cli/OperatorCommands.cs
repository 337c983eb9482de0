using System.CommandLine;
using ScimBridge.Api.Operators;

namespace ScimBridge.Api.Cli;

/// <summary>
/// <c>scimbridge operators hash-password</c>: reads a password from standard input (never from the command line, where
/// it would land in shell history and the process list) and prints its hash for Admin:Operators:N:PasswordHash.
/// </summary>
internal static class OperatorCommands
{
    /// <summary>NIST SP 800-63B asks for at least 8 characters; an operator console that can revoke keys gets more.</summary>
    public const int MinimumPasswordLength = 12;

    public static Command Create()
    {
        var hash = new Command(
            "hash-password",
            "Read a password from standard input (the first line) and print its hash for Admin:Operators:N:PasswordHash.");
        hash.SetAction(async (_, ct) =>
        {
            var password = await Console.In.ReadLineAsync(ct);
            if (string.IsNullOrEmpty(password) || password.Length < MinimumPasswordLength || password.Length > OperatorPasswordHasher.MaxPasswordLength)
            {
                await Console.Error.WriteLineAsync(
                    $"Give the password on standard input: {MinimumPasswordLength} to {OperatorPasswordHasher.MaxPasswordLength} characters, e.g. 'scimbridge operators hash-password < file'.");
                return 2;
            }

            Console.WriteLine(OperatorPasswordHasher.Hash(password));
            return ScimBridgeCli.Ok;
        });

        return new Command("operators", "Console operators' credentials.") { hash };
    }
}
