# --- the web dashboard (web/*), compiled into the binary ---------------------
# Included from the top-level CMakeLists.txt (the generated source belongs to
# discotheque_core, and a custom command must live where its target does).
# Editing a file under web/ regenerates the source at the next build.
file(GLOB WEB_DEPS CONFIGURE_DEPENDS
  ${CMAKE_SOURCE_DIR}/web/*.html ${CMAKE_SOURCE_DIR}/web/*.js
  ${CMAKE_SOURCE_DIR}/web/*.css)
list(SORT WEB_DEPS)
set(WEB_FILES "")
foreach(f ${WEB_DEPS})
  get_filename_component(_name ${f} NAME)
  list(APPEND WEB_FILES ${_name})
endforeach()
set(WEB_CPP ${CMAKE_BINARY_DIR}/generated/web_assets.cpp)
string(REPLACE ";" "," _web_files_arg "${WEB_FILES}")
add_custom_command(
  OUTPUT ${WEB_CPP}
  COMMAND ${CMAKE_COMMAND} -DOUTPUT=${WEB_CPP} -DWEB_DIR=${CMAKE_SOURCE_DIR}/web
          "-DFILES=${_web_files_arg}" -P ${CMAKE_SOURCE_DIR}/web/embed.cmake
  DEPENDS ${WEB_DEPS} ${CMAKE_SOURCE_DIR}/web/embed.cmake
  COMMENT "Embedding the web dashboard (web/)"
  VERBATIM)
target_sources(discotheque_core PRIVATE ${WEB_CPP})
