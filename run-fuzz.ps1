<#
.SYNOPSIS
    Runs a coverage-guided fuzz campaign (SharpFuzz + AFL++) on one RELOAD target, then triages it.

.DESCRIPTION
    Builds harness/P2psip.Fuzz in Release, copies the build to <Output>/instrumented and instruments
    only P2psip.Core.dll there (never the assembly with Main), writes the seeds (corpus/*.bin shaped
    for the target, plus messages built by the encoder), runs afl-fuzz for -Duration seconds with
    -Jobs instances (one main, the rest secondaries) sharing <Output>/sync, prints a summary from
    fuzzer_stats, and triages every crash: de-duplicated by exception type and top frames,
    minimised with afl-tmin, reproduced, and copied as a regression input under
    tests/P2psip.Tests/FuzzRegressions/<target>/.

    Exit status: 0 no crash; 1 crashes that reproduce (new or still unfixed); 2 setup error.
    -Reproduce exits 0 (no crash), 1 (an exception escaped), 3 (hang), or the status of a process
    the input killed (a stack overflow).

.EXAMPLE
    dotnet tool restore; dotnet pwsh ./run-fuzz.ps1 -Target decode -Duration 60
.EXAMPLE
    dotnet pwsh ./run-fuzz.ps1 -Target decode -Reproduce fuzz-out/decode/triage/1a2b3c4d5e6f/minimized.bin
.EXAMPLE
    dotnet pwsh ./run-fuzz.ps1 -Target peer -Resign -Duration 300   # same as -Target peer-resign
#>
[CmdletBinding()]
param(
    [ValidateSet('decode', 'framing', 'peer', 'peer-resign', 'selftest-crash')]
    [string]$Target = 'decode',
    # With -Target peer: re-sign every input that decodes with the harness identity before delivery
    # (the target peer-resign), so that mutations get past signature verification.
    [switch]$Resign,
    # Seconds of fuzzing per instance (afl-fuzz -V), after start-up and calibration.
    [ValidateRange(1, [int]::MaxValue)]
    [int]$Duration = 60,
    # afl-fuzz instances on this machine: one main (-M) and Jobs-1 secondaries (-S), one sync directory.
    [ValidateRange(1, 256)]
    [int]$Jobs = 1,
    # Campaign folder (default fuzz-out/<Target>): instrumented/, seeds/, sync/, logs/, triage/.
    [string]$Output,
    # Continue the campaign in <Output>/sync (afl-fuzz -i -) instead of starting afresh.
    [switch]$Resume,
    # Run one input through the target (not instrumented) and print the exception; no fuzzing.
    [string]$Reproduce,
    # AFL++ random seed (-s); instance k gets Seed+k. Without it AFL++ picks one.
    [int]$Seed,
    # Per-execution time limit of afl-fuzz in milliseconds (-t); generous, the JIT runs on new paths.
    [int]$TimeoutMs = 5000,
    # Where reproduced crashes are kept as regression inputs (default tests/P2psip.Tests/FuzzRegressions/<Target>,
    # or <Output>/regressions for the test-only target).
    [string]$RegressionDir,
    # For campaigns shared between machines: prefix of this machine's instance names (e.g. the host name).
    [string]$InstancePrefix = '',
    # Start only secondaries (-S) here: another machine runs the campaign's main instance.
    [switch]$SecondaryOnly,
    # Skip the build (use the Release build already there).
    [switch]$NoBuild,
    # No fuzzing: summary and triage of what <Output>/sync holds (e.g. after collecting other machines' instances).
    [switch]$TriageOnly
)

Set-StrictMode -Version Latest
$ErrorActionPreference = 'Stop'
$PSNativeCommandUseErrorActionPreference = $false

$root = $PSScriptRoot
if ($Resign) {
    if ($Target -notin @('peer', 'peer-resign')) { Write-Host "run-fuzz: -Resign applies to -Target peer only" -ForegroundColor Red; exit 2 }
    $Target = 'peer-resign'
}
$fuzzProject = Join-Path $root 'harness/P2psip.Fuzz/P2psip.Fuzz.csproj'
$buildDir = Join-Path $root 'harness/P2psip.Fuzz/bin/Release/net10.0'
$dictionary = Join-Path $root 'corpus/reload.dict'
$corpus = Join-Path $root 'corpus'
$testOnly = $Target -eq 'selftest-crash'

function Write-Step([string]$text) { Write-Host "==> $text" }

function Fail([string]$text) {
    Write-Host "run-fuzz: $text" -ForegroundColor Red
    exit 2
}

# Runs a native program with its arguments passed exactly, output to a log file; returns the process.
function Start-Logged([string]$file, [string[]]$arguments, [string]$log) {
    $psi = [System.Diagnostics.ProcessStartInfo]::new('/bin/sh')
    foreach ($a in @('-c', 'exec "$0" "$@" >"$RUN_FUZZ_LOG" 2>&1', $file) + $arguments) { $psi.ArgumentList.Add($a) }
    $psi.Environment['RUN_FUZZ_LOG'] = $log
    $psi.UseShellExecute = $false
    return [System.Diagnostics.Process]::Start($psi)
}

function Wait-Logged([System.Diagnostics.Process]$process, [int]$seconds) {
    if (-not $process.WaitForExit($seconds * 1000)) {
        $process.Kill($true)
        $process.WaitForExit()
        return -1
    }
    return $process.ExitCode
}

function Assert-Tools {
    if (-not (Get-Command dotnet -ErrorAction SilentlyContinue)) { Fail 'dotnet (the .NET 10 SDK) is not on PATH.' }
    if ($Reproduce) { return }
    if (-not (Get-Command afl-fuzz -ErrorAction SilentlyContinue) -or -not (Get-Command afl-tmin -ErrorAction SilentlyContinue)) {
        $isRoot = (& id -u) -eq '0'
        if ($isRoot -and (Get-Command apt-get -ErrorAction SilentlyContinue)) {
            Write-Step 'afl++ is missing: installing it (apt-get install -y afl++)'
            & apt-get install -y afl++ | Out-Host
            if ($LASTEXITCODE -ne 0) {
                & apt-get update | Out-Host
                & apt-get install -y afl++ | Out-Host
            }
        }
        if (-not (Get-Command afl-fuzz -ErrorAction SilentlyContinue)) {
            Fail "AFL++ is not installed. Install Debian's package as root: apt-get update && apt-get install -y afl++"
        }
    }
    # SharpFuzz.CommandLine and PowerShell are local tools (.config/dotnet-tools.json).
    Push-Location $root
    try {
        & dotnet tool restore | Out-Null
        if ($LASTEXITCODE -ne 0) { Fail "'dotnet tool restore' failed: the SharpFuzz.CommandLine tool is needed to instrument." }
    }
    finally { Pop-Location }
}

function Invoke-Build {
    if ($NoBuild -and (Test-Path (Join-Path $buildDir 'P2psip.Fuzz.dll'))) { return }
    Write-Step 'Building harness/P2psip.Fuzz (Release)'
    $log = & dotnet build $fuzzProject -c Release --nologo -v q 2>&1
    if ($LASTEXITCODE -ne 0) { $log | Out-Host; Fail 'build failed.' }
}

function Invoke-Instrument([string]$dir) {
    Write-Step "Instrumenting P2psip.Core.dll into $dir"
    if (Test-Path $dir) { Remove-Item -Recurse -Force $dir }
    Copy-Item -Recurse $buildDir $dir
    Push-Location $root
    try {
        # Only the library under test: instrumenting the assembly that holds Main makes the
        # fork server die before it starts.
        $log = & dotnet tool run sharpfuzz (Join-Path $dir 'P2psip.Core.dll') 2>&1
        if ($LASTEXITCODE -ne 0) { $log | Out-Host; Fail 'SharpFuzz instrumentation failed.' }
    }
    finally { Pop-Location }
}

function Read-Stats([string]$file) {
    $stats = @{}
    foreach ($line in Get-Content $file) {
        $key, $value = $line -split '\s*:\s*', 2
        if ($key) { $stats[$key.Trim()] = "$value".Trim() }
    }
    return $stats
}

# Counts the files AFL++ keeps rather than trusting saved_crashes: a resumed instance starts its
# crashes/ afresh (the old one becomes crashes.<date>), and inputs that killed the target process
# are in crashes.fatal/.
function Get-Inputs([string]$instanceDir, [string]$pattern) {
    @(Get-ChildItem -Path $instanceDir -Directory -Filter $pattern -ErrorAction SilentlyContinue |
            Get-ChildItem -File -Filter 'id:*' -ErrorAction SilentlyContinue).Count
}

function Write-Summary([string]$syncDir) {
    $rows = foreach ($file in Get-ChildItem -Path $syncDir -Filter fuzzer_stats -Recurse -Depth 1) {
        $s = Read-Stats $file.FullName
        $dir = $file.Directory.FullName
        [pscustomobject]@{
            Instance  = $file.Directory.Name
            Execs     = [long]$s['execs_done']
            # afl-fuzz writes 'inf' when an instance ran for no measurable time (it died at once and was resumed)
            ExecsPerS = [double]($s['execs_per_sec'] -as [double])
            Paths     = [int]$s['corpus_count']
            Found     = [int]$s['corpus_found']
            Edges     = [int]$s['edges_found']
            Coverage  = $s['bitmap_cvg']
            Crashes   = (Get-Inputs $dir 'crashes*') - (Get-Inputs $dir 'crashes.fatal')
            Died      = Get-Inputs $dir 'crashes.fatal'
            Hangs     = Get-Inputs $dir 'hangs*'
            RunTime   = [int]$s['run_time']
        }
    }
    if (-not $rows) { Write-Host 'No fuzzer_stats found: afl-fuzz did not get going (see the logs).'; return }
    $rows | Format-Table -AutoSize | Out-String | Write-Host
    $t = [pscustomobject]@{
        Executions = ($rows | Measure-Object Execs -Sum).Sum
        ExecsPerS  = [math]::Round(($rows | Measure-Object ExecsPerS -Sum).Sum, 1)
        Paths      = ($rows | Measure-Object Paths -Maximum).Maximum
        Crashes    = ($rows | Measure-Object Crashes -Sum).Sum + ($rows | Measure-Object Died -Sum).Sum
        Hangs      = ($rows | Measure-Object Hangs -Sum).Sum
    }
    Write-Host ("SUMMARY target={0} instances={1} executions={2} execs_per_sec={3} paths={4} unique_crashes={5} hangs={6}" -f `
            $Target, @($rows).Count, $t.Executions, $t.ExecsPerS, $t.Paths, $t.Crashes, $t.Hangs)
}

# One line per file from the target's reproducer: file, signature id ("-" = no crash, "hang"), signature.
# An input that kills the process (a stack overflow cannot be caught) is replayed alone, and its
# signature is the exit status plus the first frames the runtime printed.
function Get-Signatures([string[]]$files) {
    $result = @()
    if (-not $files) { return $result }
    $fuzzDll = Join-Path $buildDir 'P2psip.Fuzz.dll'
    for ($i = 0; $i -lt $files.Count; $i += 50) {
        $batch = @($files[$i..([math]::Min($i + 49, $files.Count - 1))])
        $lines = @(& dotnet $fuzzDll signature $Target @batch 2>$null)
        if ($LASTEXITCODE -eq 0 -and $lines.Count -eq $batch.Count) {
            foreach ($line in $lines) {
                $file, $id, $signature = $line -split "`t", 3
                $result += [pscustomobject]@{ File = $file; Id = $id; Signature = $signature }
            }
            continue
        }
        foreach ($file in $batch) {
            $out = @(& dotnet $fuzzDll signature $Target $file 2>&1 | ForEach-Object { "$_" })
            if ($LASTEXITCODE -eq 0 -and $out.Count -ge 1 -and $out[-1].StartsWith("$file`t")) {
                $f, $id, $signature = $out[-1] -split "`t", 3
            }
            else {
                $frames = @($out | Where-Object { $_ -match '^\s+at ' -and $_ -notmatch 'P2psip\.Fuzz\.Reproducer' } | Select-Object -First 3 | ForEach-Object { ($_.Trim() -replace '^at ', '') -replace '\(.*$', '' })
                $signature = "process died (exit $LASTEXITCODE): $(@($out | Select-Object -First 1)) @ $($frames -join ' < ')"
                $hash = [System.Security.Cryptography.SHA256]::HashData([System.Text.Encoding]::UTF8.GetBytes($signature))
                $id = [System.Convert]::ToHexString($hash, 0, 6).ToLowerInvariant()
            }
            $result += [pscustomobject]@{ File = $file; Id = $id; Signature = $signature }
        }
    }
    return $result
}

function Invoke-Triage([string]$outDir, [string]$instrumentedDir) {
    $syncDir = Join-Path $outDir 'sync'
    $triageDir = Join-Path $outDir 'triage'
    # Crash files of every instance, including crashes.<date> of resumed ones and crashes.fatal,
    # and seeds that crashed before fuzzing began (seeds.crashing, written by the seed writer).
    $crashFiles = @(@(Get-ChildItem -Path $syncDir -Recurse -File -ErrorAction SilentlyContinue) +
        @(Get-ChildItem -Path (Join-Path $outDir 'seeds.crashing') -File -ErrorAction SilentlyContinue) |
            Where-Object { $_.Directory.Name -like 'crashes*' -or $_.Directory.Name -eq 'seeds.crashing' } |
            Where-Object { $_.Name -like 'id:*' } | ForEach-Object FullName)
    $hangFiles = @(Get-ChildItem -Path $syncDir -Recurse -File -ErrorAction SilentlyContinue |
            Where-Object { $_.Directory.Name -like 'hangs*' -and $_.Name -like 'id:*' } | ForEach-Object FullName)
    if ($hangFiles) {
        Write-Host "$($hangFiles.Count) input(s) exceeded ${TimeoutMs} ms under afl-fuzz; rechecking them outside it:"
        foreach ($h in Get-Signatures $hangFiles) {
            $what = if ($h.Id -eq 'hang') { 'STILL HANGS (finding)' } elseif ($h.Id -eq '-') { 'returns normally (slow under load)' } else { "crashes: $($h.Signature)" }
            Write-Host "  $($h.File): $what"
            if ($h.Id -ne '-') { $crashFiles += $h.File }
        }
    }
    if (-not $crashFiles) { Write-Host 'No crashes.'; return 0 }

    Write-Step "Triaging $($crashFiles.Count) crash input(s)"
    $groups = Get-Signatures $crashFiles | Group-Object Id
    $regressions = if ($RegressionDir) { $RegressionDir } elseif ($testOnly) { Join-Path $outDir 'regressions' } else { Join-Path $root "tests/P2psip.Tests/FuzzRegressions/$Target" }
    New-Item -ItemType Directory -Force -Path $triageDir, $regressions | Out-Null
    $fuzzDll = Join-Path $buildDir 'P2psip.Fuzz.dll'
    $reproduced = 0
    foreach ($group in $groups) {
        if ($group.Name -eq '-') {
            Write-Host "  $($group.Count) input(s) crashed under afl-fuzz but not when replayed (flaky or environment): $(@($group.Group.File)[0])"
            continue
        }
        $signature = $group.Group[0].Signature
        $smallest = $group.Group | Sort-Object { (Get-Item $_.File).Length } | Select-Object -First 1
        $dir = Join-Path $triageDir $group.Name
        New-Item -ItemType Directory -Force -Path $dir | Out-Null
        Copy-Item $smallest.File (Join-Path $dir 'input.bin') -Force
        $minimized = Join-Path $dir 'minimized.bin'
        if ($group.Name -ne 'hang') {
            $tmin = Start-Logged 'afl-tmin' @('-i', $smallest.File, '-o', $minimized, '-m', 'none', '-t', "$TimeoutMs", '--',
                'dotnet', (Join-Path $instrumentedDir 'P2psip.Fuzz.dll'), 'fuzz', $Target) (Join-Path $dir 'afl-tmin.log')
            [void](Wait-Logged $tmin 300)
        }
        # afl-tmin keeps "a crash", not "this crash": fall back to the original if the bug changed.
        if (-not (Test-Path $minimized) -or (Get-Signatures @($minimized))[0].Id -ne $group.Name) {
            Copy-Item $smallest.File $minimized -Force
        }
        $signature | Set-Content (Join-Path $dir 'signature.txt')
        $report = & dotnet $fuzzDll reproduce $Target $minimized 2>&1
        $status = $LASTEXITCODE
        $report | Set-Content (Join-Path $dir 'reproduce.txt')
        $size = (Get-Item $minimized).Length
        Write-Host ''
        Write-Host "CRASH $($group.Name): $signature"
        Write-Host "  $($group.Count) input(s); minimised to $size byte(s): $minimized"
        Write-Host "  reproduce: dotnet pwsh ./run-fuzz.ps1 -Target $Target -Reproduce '$minimized'"
        if ($status -ne 0 -and $status -ne 2) {
            $reproduced++
            $kept = Join-Path $regressions "$($group.Name).bin"
            $known = Test-Path $kept
            Copy-Item $minimized $kept -Force
            Write-Host ("  {0}: $kept" -f ($(if ($known) { 'known, still failing; regression input' } else { 'NEW; regression input written' })))
            ($report | Select-Object -First 4) | ForEach-Object { Write-Host "    $_" }
        }
        else {
            Write-Host '  did not reproduce outside afl-fuzz'
        }
    }
    Write-Host ''
    Write-Host "TRIAGE target=$Target signatures=$(@($groups | Where-Object Name -ne '-').Count) reproduced=$reproduced"
    return $reproduced
}

# ---------------------------------------------------------------------------------------------

Assert-Tools
Invoke-Build
$fuzzDll = Join-Path $buildDir 'P2psip.Fuzz.dll'

if ($Reproduce) {
    if (-not (Test-Path $Reproduce)) { Fail "no such file: $Reproduce" }
    & dotnet $fuzzDll reproduce $Target (Resolve-Path $Reproduce).Path
    exit $LASTEXITCODE
}

$outDir = if ($Output) { $Output } else { Join-Path $root "fuzz-out/$Target" }
$outDir = [System.IO.Path]::GetFullPath($outDir, (Get-Location).Path)
$syncDir = Join-Path $outDir 'sync'
$seedDir = Join-Path $outDir 'seeds'
$logDir = Join-Path $outDir 'logs'
$instrumentedDir = Join-Path $outDir 'instrumented'
New-Item -ItemType Directory -Force -Path $outDir, $logDir | Out-Null

if ($TriageOnly) {
    if (-not (Test-Path $syncDir)) { Fail "nothing to triage in $syncDir" }
    if (-not (Test-Path (Join-Path $instrumentedDir 'P2psip.Fuzz.dll'))) { Invoke-Instrument $instrumentedDir }
    Write-Summary $syncDir
    $reproduced = Invoke-Triage $outDir $instrumentedDir
    exit $(if ($reproduced -gt 0) { 1 } else { 0 })
}

Invoke-Instrument $instrumentedDir

if ($Resume) {
    if (-not (Test-Path $syncDir)) { Fail "nothing to resume in $syncDir" }
    $inputArg = '-'
}
else {
    foreach ($d in $syncDir, $seedDir, "$seedDir.crashing", (Join-Path $outDir 'triage')) { if (Test-Path $d) { Remove-Item -Recurse -Force $d } }
    & dotnet $fuzzDll seeds $Target $seedDir $corpus | Out-Host
    if ($LASTEXITCODE -ne 0) { Fail 'could not write the seeds.' }
    $inputArg = $seedDir
}
$targetDictionary = Join-Path $outDir "$Target.dict"
& dotnet $fuzzDll dictionary $Target $targetDictionary
if ($LASTEXITCODE -ne 0) { Fail 'could not write the target dictionary.' }

# afl-fuzz runs 'dotnet', a script host it cannot check; it gets no CPU binding (shared machines),
# a long fork-server start-up limit (the runtime starts slowly), and a managed heap limit so that
# unbounded memory becomes an OutOfMemoryException, i.e. a crash.
$env:AFL_SKIP_BIN_CHECK = '1'
$env:AFL_NO_UI = '1'
$env:AFL_NO_AFFINITY = '1'
$env:AFL_SKIP_CPUFREQ = '1'
$env:AFL_I_DONT_CARE_ABOUT_MISSING_CRASHES = '1'
$env:AFL_FORKSRV_INIT_TMOUT = '60000'
$env:AFL_NO_CRASH_README = '1'
$env:DOTNET_GCHeapHardLimit = '0x40000000'
$env:DOTNET_CLI_TELEMETRY_OPTOUT = '1'
$env:DOTNET_NOLOGO = '1'

# SharpFuzz runs every input inside one .NET process: an input that kills it (a stack overflow, a
# fail-fast) ends afl-fuzz with "Unable to communicate with fork server" instead of a saved crash.
# The input that did it is still in <instance>/.cur_input: keep it where triage looks
# (crashes.fatal/) and resume the instance for the time it has left.
$maxRestarts = 20
function Start-Instance($inst, [string]$from, [int]$seconds) {
    $aflArgs = @('-i', $from, '-o', $syncDir, '-m', 'none', '-t', "$TimeoutMs", '-V', "$seconds")
    $aflArgs += if ($inst.Main) { @('-M', $inst.Name) } else { @('-S', $inst.Name) }
    if ($null -ne $inst.Seed) { $aflArgs += @('-s', "$($inst.Seed)") }
    if (-not $testOnly -and (Test-Path $dictionary)) { $aflArgs += @('-x', $dictionary) }
    if ((Test-Path $targetDictionary) -and (Get-Item $targetDictionary).Length -gt 0) { $aflArgs += @('-x', $targetDictionary) }
    $aflArgs += @('--', 'dotnet', (Join-Path $instrumentedDir 'P2psip.Fuzz.dll'), 'fuzz', $Target)
    $suffix = if ($inst.Restarts -gt 0) { ".restart$($inst.Restarts)" } else { '' }
    $inst.Log = Join-Path $logDir "$($inst.Name)$suffix.log"
    Write-Step "afl-fuzz $($aflArgs -join ' ')"
    $inst.Started = [DateTime]::UtcNow
    $inst.Process = Start-Logged 'afl-fuzz' $aflArgs $inst.Log
}

function Save-FatalInput($inst) {
    $current = Join-Path $syncDir "$($inst.Name)/.cur_input"
    if (-not (Test-Path $current)) { return $false }
    $fatalDir = Join-Path $syncDir "$($inst.Name)/crashes.fatal"
    New-Item -ItemType Directory -Force -Path $fatalDir | Out-Null
    $n = @(Get-ChildItem $fatalDir -File).Count
    Copy-Item $current (Join-Path $fatalDir ('id:{0:d6},process-died' -f $n))
    return $true
}

$instances = @()
for ($k = 0; $k -lt $Jobs; $k++) {
    $main = ($k -eq 0) -and -not $SecondaryOnly
    $inst = [pscustomobject]@{
        Name = if ($main) { "${InstancePrefix}main" } else { "${InstancePrefix}sec$k" }
        Main = $main; Seed = if ($PSBoundParameters.ContainsKey('Seed')) { $Seed + $k } else { $null }
        Log = $null; Process = $null; Started = $null; Restarts = 0; Left = $Duration; Done = $false; Code = 0
    }
    Start-Instance $inst $inputArg $Duration
    $instances += $inst
    # The main instance creates the sync directory layout; give it a head start.
    if ($k -eq 0 -and $Jobs -gt 1) { Start-Sleep -Seconds 2 }
}

$failed = $false
try {
    # -V counts from the end of calibration: allow for start-up and the dry run of the seeds.
    $deadline = [DateTime]::UtcNow.AddSeconds($Duration + 180 + 10 * $Jobs)
    while (@($instances | Where-Object { -not $_.Done }).Count -gt 0) {
        Start-Sleep -Milliseconds 500
        foreach ($i in $instances | Where-Object { -not $_.Done -and $_.Process.HasExited }) {
            $i.Process.WaitForExit()
            $code = $i.Process.ExitCode
            $i.Left -= [int]([DateTime]::UtcNow - $i.Started).TotalSeconds
            $log = Get-Content $i.Log -Raw -ErrorAction SilentlyContinue
            if ($code -ne 0 -and "$log" -match 'Unable to communicate with fork server' -and $i.Restarts -lt $maxRestarts -and (Save-FatalInput $i)) {
                Write-Host "afl-fuzz instance $($i.Name): the target process died on an input (kept for triage)" -ForegroundColor Yellow
                if ($i.Left -ge 5) {
                    $i.Restarts++
                    Start-Instance $i '-' $i.Left
                    continue
                }
                $code = 0
            }
            $i.Done = $true
            $i.Code = $code
            if ($code -ne 0) {
                $failed = $true
                Write-Host "afl-fuzz instance $($i.Name) ended with status $code; last lines of $($i.Log):" -ForegroundColor Yellow
                Get-Content $i.Log -Tail 15 -ErrorAction SilentlyContinue | ForEach-Object { Write-Host "    $_" }
            }
        }
        if ([DateTime]::UtcNow -gt $deadline) {
            Write-Host 'afl-fuzz instances overran their time; stopping them.' -ForegroundColor Yellow
            break
        }
    }
}
finally {
    foreach ($i in $instances) { if ($i.Process -and -not $i.Process.HasExited) { $i.Process.Kill($true) } }
}

Write-Host ''
Write-Summary $syncDir
$reproduced = Invoke-Triage $outDir $instrumentedDir
if ($reproduced -gt 0) { exit 1 }
if ($failed -and -not (Get-ChildItem -Path $syncDir -Filter fuzzer_stats -Recurse -Depth 1 -ErrorAction SilentlyContinue)) { exit 2 }
exit 0
