# escape=`
# expect: none
FROM mcr.microsoft.com/windows/servercore:ltsc2022
RUN powershell -Command `
    $ErrorActionPreference = 'Stop'; `
    Write-Host C:\path\with\backslashes\
USER ContainerUser
HEALTHCHECK CMD ["cmd", "/c", "exit 0"]
CMD ["cmd"]
