; Included by electron-builder's NSIS script (electron-builder.yml: nsis.include).
; Windows 10/11 list an app under Settings > Apps > Default apps for a link type
; only when it declares it: a ProgId per scheme, Capabilities\URLAssociations
; naming those ProgIds, and an entry in RegisteredApplications
; (https://learn.microsoft.com/en-us/windows/win32/shell/default-programs).
; Windows lets only the user pick the default (UserChoice); the app reads that
; choice (src-main/electron/windows-link-choice.ts, whose ProgIds these are).
; Per-user install (perMachine: false), so everything is under HKCU.

!macro callerRegisterScheme SCHEME
  WriteRegStr HKCU "Software\Classes\CallerDesktop.${SCHEME}" "" "Caller Desktop ${SCHEME}: link"
  WriteRegStr HKCU "Software\Classes\CallerDesktop.${SCHEME}" "FriendlyTypeName" "Caller Desktop"
  WriteRegStr HKCU "Software\Classes\CallerDesktop.${SCHEME}\DefaultIcon" "" "$INSTDIR\${APP_EXECUTABLE_FILENAME},0"
  WriteRegStr HKCU "Software\Classes\CallerDesktop.${SCHEME}\shell\open\command" "" '"$INSTDIR\${APP_EXECUTABLE_FILENAME}" "%1"'
  WriteRegStr HKCU "Software\CallerDesktop\Capabilities\URLAssociations" "${SCHEME}" "CallerDesktop.${SCHEME}"
!macroend

!macro callerUnregisterScheme SCHEME
  DeleteRegKey HKCU "Software\Classes\CallerDesktop.${SCHEME}"
  ; What app.setAsDefaultProtocolClient wrote goes too, when it still runs this install's executable.
  ReadRegStr $0 HKCU "Software\Classes\${SCHEME}\shell\open\command" ""
  StrCmp $0 '"$INSTDIR\${APP_EXECUTABLE_FILENAME}" "%1"' 0 +2
    DeleteRegKey HKCU "Software\Classes\${SCHEME}"
!macroend

!macro customInstall
  WriteRegStr HKCU "Software\CallerDesktop\Capabilities" "ApplicationName" "Caller Desktop"
  WriteRegStr HKCU "Software\CallerDesktop\Capabilities" "ApplicationDescription" "Calls phone numbers from callto: and tel: links"
  !insertmacro callerRegisterScheme "callto"
  !insertmacro callerRegisterScheme "tel"
  WriteRegStr HKCU "Software\RegisteredApplications" "Caller Desktop" "Software\CallerDesktop\Capabilities"
  ; SHCNE_ASSOCCHANGED: Explorer and Settings read the new associations now.
  System::Call 'shell32::SHChangeNotify(i 0x08000000, i 0, p 0, p 0)'
!macroend

!macro customUnInstall
  DeleteRegValue HKCU "Software\RegisteredApplications" "Caller Desktop"
  DeleteRegKey HKCU "Software\CallerDesktop"
  !insertmacro callerUnregisterScheme "callto"
  !insertmacro callerUnregisterScheme "tel"
  System::Call 'shell32::SHChangeNotify(i 0x08000000, i 0, p 0, p 0)'
!macroend
