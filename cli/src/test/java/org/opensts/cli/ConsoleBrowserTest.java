package org.opensts.cli;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PipedReader;
import java.io.PipedWriter;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.Keys;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.interactions.Actions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.opensts.server.AuditLog;
import picocli.CommandLine;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sts.StsClient;
import software.amazon.awssdk.services.sts.model.Credentials;
import software.amazon.awssdk.services.sts.model.Tag;

/**
 * The console in a real browser, as a new user meets it: {@code opensts serve} with the quick start's bootstrap (run
 * in-process, as the launcher runs it), Debian's Chromium driven through its chromedriver, and the AWS CLI v2 at
 * {@code /usr/bin/aws} for what a user checks from a shell. The tests run in order and build on each other: sign in
 * with the admin keys by keyboard, create a role and give it a policy, see a validation error while editing its trust
 * policy, simulate its policies, find its AssumeRole call in Activity, sign in through the federation endpoint as one
 * of its sessions, revoke its sessions and see the CLI refused with the older credentials. Each view's screenshot is
 * written to {@code target/console-screenshots/}; {@code docs/console.md} shows them.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(value = 3, unit = TimeUnit.MINUTES)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ConsoleBrowserTest {
    private static final String ACCOUNT = "123456789012";
    private static final String ROLE = "console-reader";
    private static final String ROLE_ARN = "arn:aws:iam::" + ACCOUNT + ":role/" + ROLE;
    private static final Path SCREENSHOTS = Path.of("target", "console-screenshots");
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final Pattern READY = Pattern.compile("OpenSTS is ready at (\\S+?)\\.(?:\\s|$)");

    private Path dataDir;
    private String endpoint;
    private String adminKeyId;
    private String adminSecret;
    private ChromeDriver driver;
    private WebDriverWait wait;
    /** A session of the role issued before its sessions are revoked. */
    private Credentials oldSession;

    // ---- the node and the browser

    private static Path repositoryRoot() {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.exists(dir.resolve("examples").resolve("quickstart.yaml"))) {
                return dir;
            }
        }
        throw new IllegalStateException("no examples/quickstart.yaml above " + Path.of("").toAbsolutePath());
    }

    /**
     * Runs {@code opensts serve} on a free port in a thread of its own and returns its endpoint once it says it is
     * ready. The node lives until the JVM ends, as a served node lives until its process ends.
     */
    private String serve(Path data) throws IOException {
        var lines = new PipedReader();
        var out = new PrintWriter(new PipedWriter(lines), true);
        var errors = new StringWriter();
        CommandLine commandLine = new CommandLine(new ServeCommand(name -> null));
        commandLine.setOut(out);
        commandLine.setErr(new PrintWriter(errors, true));
        String[] args = {"--data-dir", data.toString(), "--listen", "127.0.0.1:0",
            "--bootstrap", repositoryRoot().resolve("examples/quickstart.yaml").toString()};
        Thread server = new Thread(() -> {
            try {
                commandLine.execute(args);
            } finally {
                // A serve that fails to start ends here: the reader below then sees the end rather than waiting.
                out.close();
            }
        }, "opensts-serve");
        server.setDaemon(true);
        server.start();
        try (var reader = new BufferedReader(lines)) {
            for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                Matcher ready = READY.matcher(line.trim());
                if (ready.find()) {
                    return ready.group(1);
                }
            }
        }
        throw new IllegalStateException("opensts serve stopped before it was ready: " + errors);
    }

    @BeforeAll
    void startNodeAndBrowser() throws IOException {
        Files.createDirectories(Path.of("target"));
        dataDir = Files.createTempDirectory(Path.of("target").toAbsolutePath(), "console-browser-");
        endpoint = serve(dataDir.resolve("data"));
        String credentials = Files.readString(dataDir.resolve("data").resolve("admin-credentials"), UTF_8);
        adminKeyId = value(credentials, "aws_access_key_id");
        adminSecret = value(credentials, "aws_secret_access_key");

        assertThat(Path.of("/usr/bin/chromium")).as("Debian's chromium (run-tests installs it)").isExecutable();
        assertThat(Path.of("/usr/bin/chromedriver")).as("Debian's chromium-driver (run-tests installs it)")
                .isExecutable();
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(new File("/usr/bin/chromedriver"))
                .usingAnyFreePort()
                .withLogOutput(OutputStream.nullOutputStream())
                .build();
        ChromeOptions options = new ChromeOptions();
        options.setBinary("/usr/bin/chromium");
        // Without the background-networking flags Chromium keeps trying to reach Google's services.
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--no-first-run", "--window-size=1280,900",
                "--user-data-dir=" + Files.createTempDirectory(dataDir, "chromium-profile-"));
        // The browser's console log, where Chromium reports every Content-Security-Policy violation.
        options.setCapability("goog:loggingPrefs", Map.of("browser", "ALL"));
        driver = new ChromeDriver(service, options);
        wait = new WebDriverWait(driver, WAIT);
        Files.createDirectories(SCREENSHOTS);
    }

    @AfterAll
    void stopBrowserAndReleaseTheAuditLog() {
        if (driver != null) {
            driver.quit();
        }
        // The node lives on, idle, until the JVM ends; the tests that follow get audit events on the logger again.
        AuditLog.sendToLogger();
    }

    private static String value(String credentialsFile, String key) {
        Matcher matcher = Pattern.compile("(?m)^" + key + "\\s*=\\s*(\\S+)$").matcher(credentialsFile);
        assertThat(matcher.find()).as(key).isTrue();
        return matcher.group(1);
    }

    // ---- helpers

    private void open(String hash) {
        driver.get(endpoint + "/console/#/" + hash);
    }

    private WebElement waitFor(By by) {
        return wait.until(ExpectedConditions.visibilityOfElementLocated(by));
    }

    private WebElement button(String text) {
        return waitFor(By.xpath("//button[normalize-space()='" + text + "']"));
    }

    private Object script(String script, Object... args) {
        return ((JavascriptExecutor) driver).executeScript(script, args);
    }

    /** The whole page, not only the window: the window grows to the page's height for the shot. */
    private void screenshot(String name) throws IOException {
        Dimension size = driver.manage().window().getSize();
        if (size.getWidth() < 600) {
            // A phone's shot is what its screen shows.
            Files.write(SCREENSHOTS.resolve(name + ".png"), driver.getScreenshotAs(OutputType.BYTES));
            return;
        }
        long height = (Long) script("return Math.min(4000, document.documentElement.scrollHeight)");
        int fullHeight = (int) Math.max(size.getHeight(), height + 140);
        driver.manage().window().setSize(new Dimension(size.getWidth(), fullHeight));
        Files.write(SCREENSHOTS.resolve(name + ".png"), driver.getScreenshotAs(OutputType.BYTES));
        driver.manage().window().setSize(size);
    }

    private void signInWithKeys() {
        open("signin");
        // Whoever was signed in before (a step that failed half-way) is forgotten first.
        script("sessionStorage.clear()");
        driver.navigate().refresh();
        waitFor(By.id("signin-form"));
        WebElement keyId = driver.switchTo().activeElement();
        assertThat(keyId.getAttribute("name")).as("the access key field has the focus").isEqualTo("accessKeyId");
        new Actions(driver).sendKeys(adminKeyId).sendKeys(Keys.TAB).sendKeys(adminSecret).sendKeys(Keys.ENTER)
                .perform();
        wait.until(ExpectedConditions.textToBe(By.id("caller-arn"), "arn:aws:iam::" + ACCOUNT + ":user/admin"));
    }

    private void signOut() {
        button("Sign out").click();
        waitFor(By.id("signin-form"));
    }

    /** Runs the AWS CLI v2 with only the given credentials; returns its exit status and output. */
    private CliResult aws(Credentials credentials, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("/usr/bin/aws", "--endpoint-url", endpoint,
                "--region", "us-east-1", "--output", "json"));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        Map<String, String> environment = builder.environment();
        environment.keySet().removeIf(name -> name.startsWith("AWS_"));
        environment.putAll(Map.of("AWS_ACCESS_KEY_ID", credentials.accessKeyId(),
                "AWS_SECRET_ACCESS_KEY", credentials.secretAccessKey(),
                "AWS_SESSION_TOKEN", credentials.sessionToken(),
                "AWS_SHARED_CREDENTIALS_FILE", "/dev/null", "AWS_CONFIG_FILE", "/dev/null",
                "AWS_EC2_METADATA_DISABLED", "true", "AWS_PAGER", ""));
        Process process = builder.start();
        process.getOutputStream().close();
        String output = new String(process.getInputStream().readAllBytes(), UTF_8);
        assertThat(process.waitFor(2, TimeUnit.MINUTES)).as("aws finished").isTrue();
        return new CliResult(process.exitValue(), output);
    }

    record CliResult(int exitCode, String output) {
    }

    private StsClient adminSts() {
        return StsClient.builder()
                .endpointOverride(URI.create(endpoint))
                .region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(adminKeyId,
                        adminSecret)))
                .httpClient(UrlConnectionHttpClient.create())
                .build();
    }

    /** The comma after line 5 is missing: reading stops at line 6. */
    private static final String TRUST_POLICY_WITH_ERROR = """
            {
              "Version": "2012-10-17",
              "Statement": [
                {
                  "Effect": "Allow"
                  "Principal": {"AWS": "arn:aws:iam::123456789012:user/admin"},
                  "Action": "sts:AssumeRole"
                }
              ]
            }""";

    private static final String TRUST_POLICY = """
            {
              "Version": "2012-10-17",
              "Statement": [
                {
                  "Effect": "Allow",
                  "Principal": {"AWS": "arn:aws:iam::123456789012:user/admin"},
                  "Action": ["sts:AssumeRole", "sts:TagSession", "sts:SetSourceIdentity"]
                }
              ]
            }""";

    private static final String READ_POLICY = """
            {
              "Version": "2012-10-17",
              "Statement": [
                {"Sid": "ReadIam", "Effect": "Allow", "Action": ["iam:Get*", "iam:List*"], "Resource": "*"},
                {"Sid": "ReadAudit", "Effect": "Allow", "Action": "opensts:ListAuditEvents", "Resource": "*"}
              ]
            }""";

    /** Replaces a textarea's text the way a user does: select all, then type. */
    private static void retype(WebElement textarea, String text) {
        textarea.sendKeys(Keys.chord(Keys.CONTROL, "a"), Keys.DELETE);
        textarea.sendKeys(text);
    }

    // ---- the story

    @Test
    @Order(1)
    void signIn_withTheAdminKeysByKeyboard_showsTheCallerAndKeepsNoSecretInThePage() throws IOException {
        open("signin");
        waitFor(By.id("signin-form"));
        screenshot("01-sign-in");

        signInWithKeys();

        assertThat(driver.getPageSource()).doesNotContain(adminSecret);
        assertThat(driver.findElements(By.cssSelector("input, textarea")))
                .allSatisfy(field -> assertThat(field.getAttribute("value")).doesNotContain(adminSecret));
        assertThat((String) script("return sessionStorage.getItem('opensts-console-credentials')"))
                .contains(adminKeyId);
        assertThat((Long) script("return localStorage.length")).as("nothing kept beyond the tab").isZero();
        assertThat(waitFor(By.tagName("main")).getText()).contains("Long-term access key");
        screenshot("02-who-am-i");
    }

    @Test
    @Order(2)
    void createRole_withAnInlinePolicy_showsTheRoleAndItsPolicy() throws IOException {
        open("roles");
        button("Create role").click();
        waitFor(By.id("new-role-name")).sendKeys(ROLE);
        waitFor(By.id("new-role-description")).sendKeys("Reads IAM; made in the console's browser test");
        retype(waitFor(By.cssSelector(".policy-editor textarea")), TRUST_POLICY);
        button("Create").click();
        wait.until(ExpectedConditions.textToBe(By.id("role-arn"), ROLE_ARN));

        button("Add inline policy").click();
        waitFor(By.id("new-inline-name")).sendKeys("ReadIam");
        retype(waitFor(By.cssSelector(".policy-editor textarea")), READ_POLICY);
        button("Add policy").click();
        waitFor(By.id("inline-ReadIam"));

        open("roles");
        waitFor(By.id("roles-search")).sendKeys("reader");
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("roles-count"), "Showing 1 of 2"));
        assertThat(waitFor(By.tagName("table")).getText()).contains(ROLE).doesNotContain("demo");
        screenshot("03-roles");
    }

    @Test
    @Order(3)
    void editTrustPolicy_withAMissingComma_showsTheValidationErrorAtItsPlace() throws IOException {
        open("roles/" + ROLE);
        waitFor(By.cssSelector("[data-edit='trust-policy']")).click();
        WebElement editor = waitFor(By.cssSelector(".policy-editor textarea"));
        retype(editor, TRUST_POLICY_WITH_ERROR);

        WebElement finding = waitFor(By.cssSelector(".findings li.finding-ERROR"));
        assertThat(finding.getText()).contains("Line 6", "JSON_SYNTAX_ERROR");
        assertThat(waitFor(By.cssSelector("mark.finding-error")).getText()).isNotEmpty();
        assertThat(editor.getAttribute("aria-invalid")).isEqualTo("true");
        // The finding's button selects the offending text in the editor.
        finding.findElement(By.tagName("button")).click();
        assertThat(driver.switchTo().activeElement()).isEqualTo(editor);
        long selectionLine = (Long) script("const t = arguments[0];"
                + " return t.value.slice(0, t.selectionStart).split('\\n').length", editor);
        assertThat(selectionLine).isEqualTo(6);
        screenshot("04-trust-policy-validation");

        retype(editor, TRUST_POLICY.replace("\"Effect\"", "\"Sid\": \"AdminAssumes\", \"Effect\""));
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector(".policy-editor .hint"),
                "no findings"));
        button("Save").click();
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("trust-policy"), "AdminAssumes"));
        screenshot("05-role");
    }

    @Test
    @Order(4)
    void simulator_theRolesPolicies_decideEachActionAndMarkTheMatchedStatement() throws IOException {
        open("simulator");
        WebElement principal = waitFor(By.id("sim-principal"));
        principal.clear();
        principal.sendKeys(ROLE_ARN);
        retype(waitFor(By.id("sim-actions")), "iam:GetRole\niam:DeleteRole");
        button("Run simulation").click();

        WebElement results = waitFor(By.cssSelector("#sim-results table"));
        assertThat(results.getText()).contains("iam:GetRole * allowed").contains("iam:DeleteRole * implicitDeny");
        List<WebElement> marks = driver.findElements(By.cssSelector("#sim-policy-view mark"));
        assertThat(marks).hasSize(1);
        assertThat(marks.get(0).getText()).startsWith("{").contains("ReadIam").endsWith("}")
                .doesNotContain("ReadAudit");
        screenshot("06-simulator");
    }

    @Test
    @Order(5)
    void activity_filteredByAction_findsTheRolesAssumeRoleEvent() throws IOException {
        try (StsClient sts = adminSts()) {
            oldSession = sts.assumeRole(request -> request.roleArn(ROLE_ARN).roleSessionName("before-revocation"))
                    .credentials();
        }
        open("activity");
        waitFor(By.id("activity-action")).sendKeys("AssumeRole");
        button("Search").click();
        WebElement event = wait.until(driver -> driver.findElements(By.cssSelector("#activity-events details"))
                .stream().filter(details -> details.getAttribute("textContent").contains(ROLE_ARN)).findFirst()
                .orElse(null));
        event.findElement(By.tagName("summary")).click();
        WebElement json = event.findElement(By.tagName("pre"));
        assertThat(json.isDisplayed()).isTrue();
        assertThat(json.getText()).contains("\"eventName\": \"AssumeRole\"").contains(oldSession.accessKeyId())
                .doesNotContain(oldSession.secretAccessKey()).doesNotContain(oldSession.sessionToken());
        screenshot("07-activity");
    }

    @Test
    @Order(6)
    void federationSignIn_withASigninToken_landsTheRoleSessionInTheConsole() throws Exception {
        Credentials session;
        try (StsClient sts = adminSts()) {
            session = sts.assumeRole(request -> request.roleArn(ROLE_ARN).roleSessionName("federated")
                    .sourceIdentity("console-test")
                    .tags(Tag.builder().key("team").value("identity").build())).credentials();
        }
        signOut();
        String sessionJson = new ObjectMapper().writeValueAsString(Map.of("sessionId", session.accessKeyId(),
                "sessionKey", session.secretAccessKey(), "sessionToken", session.sessionToken()));
        HttpClient http = HttpClient.newHttpClient();
        HttpResponse<String> tokenResponse = http.send(HttpRequest.newBuilder(URI.create(endpoint
                + "/federation?Action=getSigninToken&Session=" + URLEncoder.encode(sessionJson, UTF_8))).GET()
                .build(), HttpResponse.BodyHandlers.ofString());
        assertThat(tokenResponse.statusCode()).as(tokenResponse.body()).isEqualTo(200);
        JsonNode token = new ObjectMapper().readTree(tokenResponse.body());

        driver.get(endpoint + "/federation?Action=login&Issuer=" + URLEncoder.encode("https://broker.example", UTF_8)
                + "&Destination=" + URLEncoder.encode(endpoint + "/console/", UTF_8)
                + "&SigninToken=" + URLEncoder.encode(token.get("SigninToken").asText(), UTF_8));

        wait.until(ExpectedConditions.textToBe(By.id("caller-arn"),
                "arn:aws:sts::" + ACCOUNT + ":assumed-role/" + ROLE + "/federated"));
        assertThat(waitFor(By.id("expiry-countdown")).getText()).matches("\\d+ min \\d{2} s|\\d+ h \\d{2} min.*");
        WebElement tags = waitFor(By.cssSelector("#session-issue table"));
        assertThat(tags.getText()).contains("team").contains("identity");
        assertThat(waitFor(By.id("session-issue")).getText()).contains("console-test");
        assertThat(driver.getPageSource()).doesNotContain(session.secretAccessKey())
                .doesNotContain(session.sessionToken());
        screenshot("08-federated-who-am-i");
        signOut();
    }

    /** A session of the role, as an identity broker would get it for one of its users. */
    private Credentials roleSession(String name) {
        try (StsClient sts = adminSts()) {
            return sts.assumeRole(request -> request.roleArn(ROLE_ARN).roleSessionName(name)).credentials();
        }
    }

    /** The login URL an identity broker sends its user to, for {@code session}, landing at {@code destination}. */
    private String loginUrl(Credentials session, String tokenParameters, String destination) throws Exception {
        String sessionJson = new ObjectMapper().writeValueAsString(Map.of("sessionId", session.accessKeyId(),
                "sessionKey", session.secretAccessKey(), "sessionToken", session.sessionToken()));
        HttpResponse<String> tokenResponse = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(
                endpoint + "/federation?Action=getSigninToken" + tokenParameters + "&Session="
                        + URLEncoder.encode(sessionJson, UTF_8))).GET().build(), HttpResponse.BodyHandlers.ofString());
        assertThat(tokenResponse.statusCode()).as(tokenResponse.body()).isEqualTo(200);
        String token = new ObjectMapper().readTree(tokenResponse.body()).get("SigninToken").asText();
        return endpoint + "/federation?Action=login&Issuer=" + URLEncoder.encode("https://broker.example", UTF_8)
                + "&Destination=" + URLEncoder.encode(destination, UTF_8)
                + "&SigninToken=" + URLEncoder.encode(token, UTF_8);
    }

    private String storedCredentials() {
        return (String) script("return sessionStorage.getItem('opensts-console-credentials')");
    }

    @Test
    @Order(7)
    void federationSignIn_inATabSignedInWithKeys_replacesThatSessionAndLandsOnTheDestinationRoute() throws Exception {
        signInWithKeys();
        Credentials session = roleSession("replacing");

        driver.get(loginUrl(session, "", endpoint + "/console/#/roles/" + ROLE));

        wait.until(ExpectedConditions.textToBe(By.id("identity-arn"),
                "arn:aws:sts::" + ACCOUNT + ":assumed-role/" + ROLE + "/replacing"));
        wait.until(ExpectedConditions.textToBe(By.id("role-arn"), ROLE_ARN));
        assertThat(driver.getCurrentUrl()).isEqualTo(endpoint + "/console/#/roles/" + ROLE);
        assertThat(storedCredentials()).doesNotContain(adminKeyId).doesNotContain(adminSecret)
                .doesNotContain(session.accessKeyId()).doesNotContain(session.secretAccessKey());
    }

    @Test
    @Order(8)
    void federationSignIn_inATabWhoseSessionHasExpired_signsTheNewSessionIn() throws Exception {
        open("roles");
        waitFor(By.id("roles-search"));
        // The tab's session expired while it showed Roles, as its clock would have it.
        script("const key = 'opensts-console-credentials';"
                + " const stored = JSON.parse(sessionStorage.getItem(key));"
                + " stored.expiration = new Date(Date.now() - 60000).toISOString();"
                + " sessionStorage.setItem(key, JSON.stringify(stored));");

        driver.get(loginUrl(roleSession("after-expiry"), "", endpoint + "/console/"));

        wait.until(ExpectedConditions.textToBe(By.id("caller-arn"),
                "arn:aws:sts::" + ACCOUNT + ":assumed-role/" + ROLE + "/after-expiry"));
        assertThat(driver.getCurrentUrl()).endsWith("/console/#/whoami");
    }

    @Test
    @Order(9)
    void openPage_whenTheConsoleSessionEnds_returnsToSignInSayingSoAndForgetsTheCredentials() throws Exception {
        driver.get(loginUrl(roleSession("ending"), "&SessionDuration=900", endpoint + "/console/#/roles/" + ROLE));
        wait.until(ExpectedConditions.textToBe(By.id("role-arn"), ROLE_ARN));
        JsonNode stored = new ObjectMapper().readTree(storedCredentials());
        java.time.Instant end = java.time.Instant.parse(stored.get("expiration").asText());
        assertThat(end).isBefore(java.time.Instant.now().plusSeconds(901));

        // The tab is left open past the console session's end: the page's clocks (the browser's, and the node's as
        // its last answer and the time since tell it) move 16 minutes on.
        script("const skip = 16 * 60 * 1000;"
                + " const monotonic = performance.now.bind(performance); performance.now = () => monotonic() + skip;"
                + " const wall = Date.now; Date.now = () => wall() + skip;");

        assertThat(waitFor(By.id("session-ended")).getText()).contains("session has ended");
        assertThat(driver.getCurrentUrl()).endsWith("#/signin");
        assertThat(storedCredentials()).isNull();
        assertThat(driver.findElement(By.id("nav")).isDisplayed()).isFalse();
        assertThat(driver.findElements(By.id("role-arn"))).isEmpty();
        screenshot("13-session-ended");
    }

    @Test
    @Order(10)
    void revokeSessions_afterConfirmingByKeyboard_refusesTheOlderSessionToTheCli() throws Exception {
        assertThat(aws(oldSession, "iam", "get-role", "--role-name", ROLE).exitCode())
                .as("the session works before the revocation").isZero();
        signInWithKeys();
        open("roles/" + ROLE);
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("sessions-revoked"), "never"));
        button("Revoke active sessions").click();
        WebElement dialog = waitFor(By.tagName("dialog"));
        assertThat(driver.switchTo().activeElement().getText()).as("the dialog's Cancel has the focus")
                .isEqualTo("Cancel");
        screenshot("09-revoke-confirm");
        new Actions(driver).sendKeys(Keys.TAB).perform();
        assertThat(driver.switchTo().activeElement().getText()).isEqualTo("Revoke active sessions");
        new Actions(driver).sendKeys(Keys.ENTER).perform();
        wait.until(ExpectedConditions.invisibilityOf(dialog));
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("sessions-revoked"), "were revoked"));
        assertThat(waitFor(By.id("inline-AWSRevokeOlderSessions")).getText()).contains("aws:TokenIssueTime");
        screenshot("10-sessions-revoked");

        CliResult refused = aws(oldSession, "iam", "get-role", "--role-name", ROLE);
        assertThat(refused.exitCode()).as(refused.output()).isNotZero();
        assertThat(refused.output()).contains("AccessDenied");
    }

    @Test
    @Order(11)
    void node_showsVersionRegionAndRequestCounts() throws IOException {
        open("node");
        assertThat(waitFor(By.id("node-version")).getText()).isNotBlank();
        assertThat(waitFor(By.tagName("main")).getText()).contains("us-east-1");
        assertThat(Long.parseLong(waitFor(By.id("node-total")).getText())).isPositive();
        screenshot("11-node");
    }

    @Test
    @Order(12)
    void everyPage_requestsOnlyTheNodesOriginAndBreaksNoContentSecurityPolicyRule() {
        open("whoami");
        waitFor(By.id("caller-arn"));
        @SuppressWarnings("unchecked")
        List<String> resources = (List<String>) script(
                "return performance.getEntriesByType('resource').map(entry => entry.name)");
        assertThat(resources).isNotEmpty().allSatisfy(url -> assertThat(url).startsWith(endpoint + "/"));

        // Every view so far ran under the node's strict policy: an inline style or script would be reported here.
        List<String> messages = driver.manage().logs().get(LogType.BROWSER).getAll().stream()
                .map(LogEntry::getMessage).toList();
        assertThat(messages).noneMatch(message -> message.contains("Content Security Policy"));
    }

    @Test
    @Order(13)
    void phoneWidth_rolePage_fitsWithoutSidewaysScrolling() throws IOException {
        Dimension laptop = driver.manage().window().getSize();
        driver.manage().window().setSize(new Dimension(390, 844));
        try {
            open("roles/" + ROLE);
            waitFor(By.id("role-arn"));
            long overflow = (Long) script("return document.documentElement.scrollWidth - window.innerWidth");
            assertThat(overflow).isLessThanOrEqualTo(0);
            screenshot("12-phone");
        } finally {
            driver.manage().window().setSize(laptop);
        }
    }
}
