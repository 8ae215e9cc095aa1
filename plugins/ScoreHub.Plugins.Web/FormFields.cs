namespace ScoreHub.Plugins.Web;

/// <summary>
/// Which form fields become contact properties. An allow-list, not a block-list: a field is kept only when its
/// name is a known lead-form field, so passwords, card numbers, free-text messages and anything a site invents are
/// never stored, whatever the snippet sends. Names are compared without case, spaces, dashes or underscores
/// (<c>job_title</c>, <c>jobTitle</c> and <c>Job Title</c> are the same field).
/// </summary>
internal static class FormFields
{
    public const int MaxValueLength = 200;

    private static readonly Dictionary<string, string> PropertyByField = new(StringComparer.Ordinal)
    {
        ["firstname"] = "firstName",
        ["fname"] = "firstName",
        ["givenname"] = "firstName",
        ["lastname"] = "lastName",
        ["lname"] = "lastName",
        ["surname"] = "lastName",
        ["familyname"] = "lastName",
        ["name"] = "name",
        ["fullname"] = "name",
        ["yourname"] = "name",
        ["company"] = "company",
        ["companyname"] = "company",
        ["organization"] = "company",
        ["organisation"] = "company",
        ["jobtitle"] = "jobTitle",
        ["position"] = "jobTitle",
        ["role"] = "jobTitle",
        ["phone"] = "phone",
        ["phonenumber"] = "phone",
        ["telephone"] = "phone",
        ["tel"] = "phone",
        ["mobile"] = "phone",
        ["industry"] = "industry",
        ["country"] = "country",
        ["city"] = "city",
        ["region"] = "region",
        ["state"] = "region",
        ["website"] = "website",
        ["companywebsite"] = "website",
        ["employees"] = "employees",
        ["companysize"] = "employees",
        ["numberofemployees"] = "employees",
    };

    private static readonly HashSet<string> EmailFields = new(StringComparer.Ordinal)
    {
        "email", "emailaddress", "mail", "youremail", "workemail", "businessemail",
    };

    /// <summary>The contact property a field maps to, or <c>null</c> to drop it.</summary>
    public static string? PropertyFor(string field) => PropertyByField.GetValueOrDefault(Normalize(field));

    /// <summary>Whether a field holds the visitor's email address.</summary>
    public static bool IsEmail(string field) => EmailFields.Contains(Normalize(field));

    private static string Normalize(string field) =>
        string.Concat(field.Where(char.IsLetterOrDigit)).ToLowerInvariant();
}
